// Keyboard shortcuts of the task page (listed in components/shortcuts.py). They move a visible
// selection (aria-current) through the rows and press the row's own controls, so each key does
// exactly what the click does; z (or Ctrl+Z) presses the message's "Undo". Nothing fires while
// the person types in a field or a dialog.
(() => {
  // Rows only: a grouped list (Today, Upcoming) has heading items between them.
  const ROWS = 'ul[aria-label="Tasks"] > li[id^="task-"]';
  const mark = (name) => `[data-shortcut="${name}"]`;

  const isTyping = (element) =>
    element instanceof HTMLElement &&
    (element.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName) ||
      element.closest('[role="dialog"], [role="alertdialog"], [role="listbox"], [role="menu"]'));
  const rows = () => Array.from(document.querySelectorAll(ROWS));
  const selectedRow = () => document.querySelector(`${ROWS}[aria-current="true"]`);

  function markSelected(row) {
    for (const other of rows()) {
      if (other !== row) other.removeAttribute("aria-current");
    }
    if (row) row.setAttribute("aria-current", "true");
  }

  function select(row) {
    markSelected(row);
    if (row) {
      row.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    const all = rows();
    if (all.length === 0) return;
    const index = all.indexOf(selectedRow());
    const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : index + step;
    select(all[Math.min(all.length - 1, Math.max(0, next))]);
  }

  function press(name) {
    const control = selectedRow()?.querySelector(mark(name));
    if (!control) return false;
    control.click();
    return true;
  }

  function focusField(selector) {
    const field = document.querySelector(selector);
    if (!field) return false;
    markSelected(null);
    field.focus();
    return true;
  }

  // The server moves the focus to a row (after an edit, or to the next row after a delete):
  // the selection follows it.
  document.addEventListener("focusin", (event) => {
    const row = event.target instanceof Element ? event.target.closest(ROWS) : null;
    if (row && event.target === row) markSelected(row);
  });

  // "g" then t / u / i: go to Today / Upcoming / Inbox (within a second and a half), as the
  // sidebar's link does (client-side navigation when the link is on the page).
  const GO_TO = { t: "/today", u: "/upcoming", i: "/inbox" };
  let goPressedAt = 0;

  function goTo(path) {
    const link = document.querySelector(`nav a[href="${path}"]`);
    if (link) {
      link.click();
    } else {
      window.location.assign(path);
    }
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented) return;
    const target = event.target;
    if (!event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(target)) {
      const pending = Date.now() - goPressedAt < 1500;
      goPressedAt = 0;
      if (pending && GO_TO[event.key]) {
        goTo(GO_TO[event.key]);
        event.preventDefault();
        return;
      }
      if (event.key === "g") {
        goPressedAt = Date.now();
        event.preventDefault();
        return;
      }
    }
    // z, or Ctrl+Z / Cmd+Z, outside fields: the "Undo" of the message on screen.
    if (event.key === "z" && !event.altKey && !isTyping(target)) {
      const undo = document.querySelector(mark("undo"));
      if (undo) {
        undo.click();
        event.preventDefault();
      }
      return;
    }
    // Alt+Up / Alt+Down on a row: move it one place in the manual order (its own buttons).
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown") && !isTyping(target)) {
      const row = target instanceof Element ? target.closest(ROWS) : null;
      const control = (row ?? selectedRow())?.querySelector(
        mark(event.key === "ArrowUp" ? "move-up" : "move-down"),
      );
      if (control) {
        control.click();
        event.preventDefault();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // A focused drag handle: Space, Enter, the arrows and Escape pick up, move and drop the
    // row (dnd-kit's keyboard sensor), so the list's keys stay out of its way.
    if (target instanceof Element && target.closest('[aria-roledescription="sortable"]')) return;
    if (event.key === "Escape") {
      if (target instanceof HTMLElement && target.matches("#new-task-title, #task-search")) {
        target.blur();
      } else if (!isTyping(target)) {
        markSelected(null);
      }
      return;
    }
    if (isTyping(target)) return;
    // Enter and Space belong to a focused button, link or checkbox; on a row they are ours.
    const onControl =
      target instanceof Element && target.closest('button, a, [role="checkbox"]') !== null;
    let handled = false;
    switch (event.key) {
      case "q":
      case "n":
        handled = focusField("#new-task-title");
        break;
      case "/":
        handled = focusField("#task-search");
        break;
      case "j":
      case "ArrowDown":
        move(1);
        handled = rows().length > 0;
        break;
      case "k":
      case "ArrowUp":
        move(-1);
        handled = rows().length > 0;
        break;
      case "x":
        handled = press("toggle");
        break;
      case " ":
        handled = !onControl && press("toggle");
        break;
      case "e":
        handled = press("edit");
        break;
      case "Enter":
        handled = !onControl && press("edit");
        break;
      case "#":
      case "Delete":
        handled = press("delete");
        break;
      case "?": {
        const help = document.querySelector(mark("help"));
        help?.click();
        handled = help !== null;
        break;
      }
      default:
        break;
    }
    if (handled) event.preventDefault();
  });
})();
