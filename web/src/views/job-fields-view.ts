import type { Template } from '../api/types';
import type { JobField } from '../job-types/job-fields';

/** One drawn field: its wrapper (hidden when the field is out of play) and its control. */
export interface DrawnField {
  field: JobField;
  wrapper: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
}

/** The control's value as job-fields.ts reads it ('true'/'' for a checkbox). */
export function valueOf({ control }: DrawnField): string {
  return control instanceof HTMLInputElement && control.type === 'checkbox' ? (control.checked ? 'true' : '') : control.value;
}

/** Draws a field: a label, the control with the schema's bounds, and the schema's description as its hint. */
export function drawField(field: JobField, value: string, templates: Template[]): DrawnField {
  const id = field.control === 'template' ? 'job-template' : `input-${field.name}`;
  const wrapper = document.createElement('div');
  wrapper.dataset.field = field.name;
  if (field.control === 'text' || field.control === 'textarea' || field.control === 'json' || field.control === 'template') wrapper.className = 'span-all';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = field.label;
  const control = controlFor(field, value, templates);
  control.id = id;
  control.name = field.name;
  control.required = field.required;
  wrapper.append(label, control);
  if (field.hint) {
    const hint = document.createElement('p');
    hint.id = `${id}-hint`;
    hint.className = 'hint field-hint';
    hint.textContent = field.hint;
    control.setAttribute('aria-describedby', hint.id);
    wrapper.append(hint);
  }
  return { field, wrapper, control };
}

function controlFor(field: JobField, value: string, templates: Template[]): DrawnField['control'] {
  switch (field.control) {
    case 'template': {
      const select = document.createElement('select');
      select.append(new Option('None: write a prompt', ''), ...templates.map((t) => new Option(`${t.name} (v${t.version})`, t.id)));
      select.value = templates.some((t) => t.id === value) ? value : '';
      return select;
    }
    case 'select': {
      const select = document.createElement('select');
      select.append(...field.options!.map((o) => new Option(o.label, o.value)));
      if (field.options!.some((o) => o.value === value)) select.value = value;
      return select;
    }
    case 'checkbox': {
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = value === 'true';
      return input;
    }
    case 'json':
    case 'textarea': {
      const area = document.createElement('textarea');
      area.rows = field.control === 'json' ? 14 : 3;
      if (field.control === 'json') area.spellcheck = false;
      if (field.maxLength !== undefined) area.maxLength = field.maxLength;
      area.value = value;
      return area;
    }
    case 'number':
    case 'text': {
      const input = document.createElement('input');
      input.type = field.control;
      if (field.control === 'number') {
        if (field.min !== undefined) input.min = String(field.min);
        if (field.max !== undefined) input.max = String(field.max);
        if (field.step) input.step = field.step;
      } else if (field.maxLength !== undefined) input.maxLength = field.maxLength;
      input.value = value;
      return input;
    }
  }
}
