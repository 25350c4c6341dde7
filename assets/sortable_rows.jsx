// Manual order by dragging a row's handle (Sort: Manual), with dnd-kit. Wrapped for Reflex in
// todo_app/components/sortable_rows.py: `SortableRows` holds the list's rows, `SortableRow` is
// one row's <li>, `DragHandle` the row's handle button, the only place a drag starts from.
// A drop calls `onMove(taskId, beforeId)`: the row now goes before `beforeId`, or last (null);
// the server stores it and sends the list back in its new order.
import { createContext, useCallback, useContext, useMemo } from "react";
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  closestCenter,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  SortableContext,
  arrayMove,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";

// Whether the rows below are sortable; outside a SortableRows (the completed section) they are not.
const SortingContext = createContext(false);
// What a row hands its handle: dnd-kit's listeners and attributes, and where it starts a drag.
const HandleContext = createContext(null);

// Rows move up and down only.
const vertically = ({ transform }) => ({ ...transform, x: 0 });

// What a screen reader hears, in the rows' titles (a row is `task-<id>`, its checkbox named
// by the title) rather than dnd-kit's "draggable item 12".
const titleOf = (id) =>
  document.getElementById(`task-${id}`)?.querySelector('[role="checkbox"]')?.getAttribute("aria-label") ??
  "the task";
const announcements = {
  onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}.`,
  onDragOver: ({ active, over }) =>
    over && over.id !== active.id
      ? `${titleOf(active.id)} is at ${titleOf(over.id)}.`
      : `${titleOf(active.id)} is in its place.`,
  onDragEnd: ({ active, over }) =>
    over && over.id !== active.id
      ? `${titleOf(active.id)} was moved to the place of ${titleOf(over.id)}.`
      : `${titleOf(active.id)} was dropped in its place.`,
  onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled.`,
};

const assignRef = (ref, node) => {
  if (typeof ref === "function") ref(node);
  else if (ref) ref.current = node;
};

export function SortableRows({ items, enabled, onMove, children }) {
  const sensors = useSensors(
    // Mouse, pen and touch alike (the handle's `touch-action: none` keeps a finger on it from
    // scrolling the page); a few pixels first, so a click on the handle stays a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    // Touch screens whose browser has no pointer events.
    useSensor(TouchSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = useMemo(() => (enabled && Array.isArray(items) ? items : []), [enabled, items]);
  const onDragEnd = useCallback(
    ({ active, over }) => {
      if (!over || active.id === over.id || !onMove) return;
      const from = ids.indexOf(active.id);
      const to = ids.indexOf(over.id);
      if (from < 0 || to < 0) return;
      const order = arrayMove(ids, from, to);
      onMove(active.id, order[to + 1] ?? null);
    },
    [ids, onMove],
  );
  // dnd-kit's live region and instructions go to the end of the page: inside the <ul> they
  // would break the list (only <li> belong there).
  const accessibility = {
    announcements,
    container: typeof document === "undefined" ? undefined : document.body,
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={[vertically]}
      onDragEnd={onDragEnd}
      accessibility={accessibility}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <SortingContext.Provider value={Boolean(enabled)}>{children}</SortingContext.Provider>
      </SortableContext>
    </DndContext>
  );
}

function DraggableRow({ sortId, ref, style, children, ...props }) {
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
  } = useSortable({ id: sortId });
  const setRef = useCallback(
    (node) => {
      setNodeRef(node);
      assignRef(ref, node);
    },
    [setNodeRef, ref],
  );
  const handle = useMemo(
    () => ({ attributes, listeners, setActivatorNodeRef }),
    [attributes, listeners, setActivatorNodeRef],
  );
  const moving = {
    transform: CSS.Translate.toString(transform),
    transition,
    position: "relative",
    ...(isDragging
      ? {
          zIndex: 1,
          background: "var(--color-panel-solid)",
          boxShadow: "var(--shadow-3)",
        }
      : {}),
  };
  return (
    <HandleContext.Provider value={handle}>
      <li ref={setRef} style={{ ...style, ...moving }} {...props}>
        {children}
      </li>
    </HandleContext.Provider>
  );
}

export function SortableRow({ sortId, ...props }) {
  const sorting = useContext(SortingContext);
  return sorting ? <DraggableRow sortId={sortId} {...props} /> : <li {...props} />;
}

export function DragHandle({ children, ...props }) {
  const handle = useContext(HandleContext);
  if (!handle) return <button {...props}>{children}</button>;
  // The row's own props come last: its name and its place out of the Tab order stay.
  return (
    <button
      ref={handle.setActivatorNodeRef}
      {...handle.attributes}
      {...handle.listeners}
      {...props}
    >
      {children}
    </button>
  );
}
