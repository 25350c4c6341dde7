// System notifications of reminders (#14). The Settings switch asks for the browser's
// Notification permission only when it is clicked, and keeps the choice in this browser (the
// permission is the browser's too). While it is on and allowed, a task page raises a system
// notification for each reminder toast it shows: once per reminder in this browser, however
// many tabs show it. No JavaScript comes from the server (the Content-Security-Policy).
(() => {
  const CHOICE_KEY = "todo_system_notifications";
  const NOTIFIED_KEY = "todo_notified_reminders";
  const NOTIFIED_KEEP = 50;
  const SWITCH_ID = "system-notifications";
  const STATUS_ID = "system-notifications-status";
  const MESSAGES = {
    on: "On: a due reminder also shows as a system notification in this browser.",
    off:
      "Off: reminders show in the page (a toast and the bell). Turning this on asks your " +
      "browser for permission.",
    denied:
      "Your browser blocks notifications from this site, so reminders show only in the " +
      "page. To get them, allow notifications for this site in the browser's site " +
      "settings, then turn this on again.",
    dismissed:
      "Notifications were not allowed, so reminders show only in the page. Turn this on " +
      "again to be asked once more.",
    unsupported: "This browser cannot show system notifications; reminders show in the page.",
  };
  let lastAnswer = "";

  const supported = () => typeof window.Notification === "function";
  const permission = () => (supported() ? window.Notification.permission : "unsupported");
  const chosen = () => localStorage.getItem(CHOICE_KEY) === "on";
  const active = () => chosen() && permission() === "granted";

  function message() {
    if (!supported()) return MESSAGES.unsupported;
    if (active()) return MESSAGES.on;
    if (permission() === "denied") return MESSAGES.denied;
    if (lastAnswer === "default") return MESSAGES.dismissed;
    return MESSAGES.off;
  }

  function showSwitch() {
    const button = document.getElementById(SWITCH_ID);
    const status = document.getElementById(STATUS_ID);
    if (!button || !status) return;
    const on = String(active());
    if (button.getAttribute("aria-checked") !== on) button.setAttribute("aria-checked", on);
    const text = message();
    if (status.textContent !== text) status.textContent = text;
  }

  async function toggle() {
    if (active()) {
      localStorage.setItem(CHOICE_KEY, "off");
    } else if (supported()) {
      let answer = window.Notification.permission;
      if (answer === "default") answer = await window.Notification.requestPermission();
      lastAnswer = answer;
      localStorage.setItem(CHOICE_KEY, answer === "granted" ? "on" : "off");
    }
    showSwitch();
  }

  function notifyToast() {
    const toast = document.querySelector("[data-reminder-id]");
    const id = toast?.getAttribute("data-reminder-id");
    if (!id || id === "0" || !active()) return;
    let notified = [];
    try {
      notified = JSON.parse(localStorage.getItem(NOTIFIED_KEY) ?? "[]");
    } catch {
      notified = [];
    }
    if (!Array.isArray(notified) || notified.includes(id)) return;
    localStorage.setItem(NOTIFIED_KEY, JSON.stringify([...notified, id].slice(-NOTIFIED_KEEP)));
    const notification = new window.Notification("Reminder", {
      body: toast.getAttribute("data-reminder-title") ?? "",
      // Tabs of this site that raise the same reminder replace each other's notification.
      tag: `todo-reminder-${id}`,
    });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  }

  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest(`#${SWITCH_ID}`)) {
      toggle();
    }
  });
  // The pages are React's: look again whenever the page changes.
  const observer = new MutationObserver(() => {
    showSwitch();
    notifyToast();
  });
  const start = () => {
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-reminder-id"],
    });
    showSwitch();
    notifyToast();
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
