/**
 * What an adapter's panel draws in the operator console, as data: the console's web app renders
 * these and names no adapter. The wire format of `GET /console/api/automations` (`cards`) and
 * `GET /console/api/pages`; free of imports so the web app can share it.
 */

/** A value shown in full, with a button that copies it. */
export interface ShownValue {
  label: string;
  value: string;
  /** `data-testid` of the value, for browser tests. */
  testId?: string;
}

/** A field of a JSON answer shown once after the call (a secret, a token), until the card's next action. */
export interface AnswerValue {
  /** May name answer fields as `{field}`. */
  label: string;
  field: string;
  testId?: string;
}

/** A button of a card: a console API call, with a number the operator sets first if it takes one. */
export interface CardAction {
  label: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /** Below `/console/api`, already encoded. */
  path: string;
  /** Sent as the JSON body `{ [field]: value }`. */
  number?: { field: string; label: string; ariaLabel: string; value: number; min?: number; max?: number };
  shows?: AnswerValue[];
}

/** One adapter's part of an automation on the Automations page, for the operator looking at it. */
export interface PanelCard {
  title: string;
  /** Plain lines of state (`allocated, concurrency limit 3`). */
  notes: string[];
  values: ShownValue[];
  actions: CardAction[];
}

/** A field of a page's add form, sent under `name`; an empty optional field is left out. */
export interface PageField {
  name: string;
  label: string;
  kind: 'text' | 'password' | 'select' | 'choices';
  placeholder?: string;
  /** Of a `select` (one) or `choices` (any, sent as an array). */
  options?: string[];
  initial?: string | string[];
  required?: boolean;
}

/** A page of its own in the console's navigation: a table of what the adapter keeps, to add to and remove from. */
export interface PanelPage {
  /** Its address, `#/<path>`. */
  path: string;
  title: string;
  access: 'anyone' | 'admin';
  intro?: string;
  /** `GET` of the rows; `key` is the field that tells rows apart. */
  list: { path: string; key: string; columns: { field: string; label: string; format?: 'time' | 'list' }[] };
  add?: { path: string; submit: string; fields: PageField[]; shows: AnswerValue };
  /** `DELETE` of a row; `path` names row fields as `{field}`; a row whose `notSelf` field is the operator's username has none. */
  remove?: { label: string; path: string; notSelf?: string };
}
