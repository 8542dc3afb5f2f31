// The error an edit step raises for a request it cannot carry out; the edit API turns it into
// `{ ok: false, error }` with this message.
export class EditRefused extends Error {}
