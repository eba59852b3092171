// Form fields the administration pages share: labelled inputs, selects
// and groups of checkboxes, all native controls.
import type { ComponentChildren, JSX } from 'preact';

export function Text({
  label,
  value,
  set,
  hint,
  ...rest
}: { label: string; value: string; set: (v: string) => void; hint?: string } & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'label'>) {
  const id = rest.name ? `f-${rest.name}` : undefined;
  return (
    <label>
      {label}
      <input {...rest} value={value} onInput={(e) => set(e.currentTarget.value)} aria-describedby={hint && id ? `${id}-hint` : undefined} />
      {hint && (
        <span class="hint" id={id ? `${id}-hint` : undefined}>
          {hint}
        </span>
      )}
    </label>
  );
}

export function Area({ label, value, set, name, rows = 3, maxLength }: { label: string; value: string; set: (v: string) => void; name: string; rows?: number; maxLength?: number }) {
  return (
    <label>
      {label}
      <textarea name={name} rows={rows} maxLength={maxLength} value={value} onInput={(e) => set(e.currentTarget.value)} />
    </label>
  );
}

export function Select({ label, value, set, name, children, required }: { label: string; value: string; set: (v: string) => void; name: string; children: ComponentChildren; required?: boolean }) {
  return (
    <label>
      {label}
      <select name={name} value={value} required={required} onChange={(e) => set(e.currentTarget.value)}>
        {children}
      </select>
    </label>
  );
}

export function Check({ label, checked, set, name }: { label: string; checked: boolean; set: (v: boolean) => void; name?: string }) {
  return (
    <label class="checkbox">
      <input type="checkbox" name={name} checked={checked} onChange={(e) => set(e.currentTarget.checked)} />
      {label}
    </label>
  );
}

/** A fieldset of checkboxes choosing some of options. */
export function Checks<V extends string | number>({ legend, options, chosen, set, name }: {
  legend: string;
  options: { value: V; label: string }[];
  chosen: V[];
  set: (v: V[]) => void;
  name: string;
}) {
  return (
    <fieldset class="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label class="checkbox" key={String(o.value)}>
          <input
            type="checkbox"
            name={name}
            value={String(o.value)}
            checked={chosen.includes(o.value)}
            onChange={(e) => set(e.currentTarget.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** "a b, c" -> ["a", "b", "c"] */
export function words(s: string): string[] {
  return s.split(/[\s,;]+/).filter(Boolean);
}
