// The @vscode-elements web components the graph uses (registered by importing them), their JSX
// typing, and a hook for their DOM events (React does not map onChange to custom elements).
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import { useEffect, type Attributes, type HTMLAttributes, type Ref, type RefObject } from 'react';

type ElementProps = Attributes & HTMLAttributes<HTMLElement> & {
  ref?: Ref<HTMLElement>;
  value?: string;
  checked?: boolean;
  invalid?: boolean;
  disabled?: boolean;
  placeholder?: string;
  label?: string;
  for?: string;
  name?: string;
  selected?: boolean;
  readonly?: boolean;
};

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'vscode-textfield': ElementProps;
      'vscode-single-select': ElementProps;
      'vscode-option': ElementProps;
      'vscode-checkbox': ElementProps;
      'vscode-label': ElementProps;
      'vscode-form-helper': ElementProps;
    }
  }
}

/** Calls `handler` on the element's `event` (e.g. a web component's `change`). */
export function useElementEvent(ref: RefObject<HTMLElement | null>, event: string, handler: (el: HTMLElement, e: Event) => void): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const listener = (e: Event) => handler(el, e);
    el.addEventListener(event, listener);
    return () => el.removeEventListener(event, listener);
  });
}
