// Mirrors the new-task input into this tab's sessionStorage. When the session ends elsewhere,
// the tab is sent to the login page at once; the session check then hands the text to the
// server, which shows it in the input again once the same person has logged back in.
(() => {
  const INPUT_ID = "new-task-title";
  const KEY = "todo_typed_task";
  document.addEventListener("input", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.id === INPUT_ID) {
      sessionStorage.setItem(KEY, event.target.value);
    }
  });
  // Submitted text is the server's from then on (stored, or kept as the draft).
  document.addEventListener("submit", (event) => {
    if (event.target instanceof HTMLFormElement && event.target.querySelector(`#${INPUT_ID}`)) {
      sessionStorage.removeItem(KEY);
    }
  });
})();
