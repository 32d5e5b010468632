// Every table of the studio: scrolls sideways on narrow screens, column headers scoped; a column named "" is
// an action column, labelled for screen readers only.

import type { ComponentChildren } from "preact";

export function Table({
  columns,
  caption,
  class: className,
  children,
}: {
  columns: string[];
  caption?: string;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="overflow-auto">
      <table class={className}>
        {caption ? <caption class="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th scope="col" key={i}>
                {c || <span class="visually-hidden">Action</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
