// A labelled text input holding one string of a form's state: the label wraps the input and names it, so the
// forms read the same to a screen reader and to the browser tests.

import type { ComponentChildren, InputHTMLAttributes } from "preact";

export function TextField({
  id,
  label,
  value,
  onValue,
  secret,
  ...input
}: {
  id: string;
  label: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  /** A password field the browser neither shows nor offers to fill. */
  secret?: boolean;
  name?: string;
  required?: boolean;
  placeholder?: string;
  "aria-describedby"?: string;
}) {
  const secrecy = secret ? ({ type: "password", autocomplete: "off" } as const) : {};
  const attributes: InputHTMLAttributes = {
    id,
    value,
    onInput: (e) => onValue(e.currentTarget.value),
    ...input,
    ...secrecy,
  };
  return (
    <label for={id}>
      {label}
      <input {...attributes} />
    </label>
  );
}
