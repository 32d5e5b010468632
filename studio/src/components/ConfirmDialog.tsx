// A question before something that cannot be undone: a modal <dialog> (focus stays in it, Escape cancels),
// with the action's own words on the button that does it.

import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function ConfirmDialog({
  title,
  confirm,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  /** The confirming button's text, e.g. "Yes, delete". */
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
  children: ComponentChildren;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onClose={onCancel}>
      <article>
        <h3 id="confirm-title">{title}</h3>
        {children}
        <footer>
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" onClick={onConfirm}>
            {confirm}
          </button>
        </footer>
      </article>
    </dialog>
  );
}
