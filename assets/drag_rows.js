// Manual order by dragging a row's handle (Sort: Manual). The drop names the row the dragged one
// now goes before and submits the page's hidden move form (components/task_list.py), so the
// server's move_task does the rest; Alt+Up / Alt+Down (shortcuts.js) move a row by keyboard.
(() => {
  const ROWS = 'ul[aria-label="Tasks"] > li[id^="task-"]';
  let dragged = null;

  const rowOf = (target) => (target instanceof Element ? target.closest(ROWS) : null);

  document.addEventListener("dragstart", (event) => {
    const handle =
      event.target instanceof Element ? event.target.closest("[data-drag-handle]") : null;
    dragged = handle ? rowOf(handle) : null;
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
    event.dataTransfer.setDragImage(dragged, 16, 16);
  });

  document.addEventListener("dragover", (event) => {
    if (dragged && rowOf(event.target)) event.preventDefault();
  });

  document.addEventListener("drop", (event) => {
    const source = dragged;
    dragged = null;
    const target = rowOf(event.target);
    if (!source || !target) return;
    event.preventDefault();
    const rows = Array.from(document.querySelectorAll(ROWS));
    const box = target.getBoundingClientRect();
    const below = event.clientY > box.top + box.height / 2;
    const before = below ? rows[rows.indexOf(target) + 1] ?? null : target;
    // Dropped where it already is: nothing to move.
    if (before === source || rows[rows.indexOf(source) + 1] === (before ?? undefined)) return;
    const form = document.getElementById("move-task-form");
    if (!form) return;
    form.elements.task_id.value = source.id.slice("task-".length);
    form.elements.before_id.value = before ? before.id.slice("task-".length) : "";
    form.requestSubmit();
  });

  document.addEventListener("dragend", () => {
    dragged = null;
  });
})();
