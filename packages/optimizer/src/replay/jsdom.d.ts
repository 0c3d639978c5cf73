// Minimal typing of the part of jsdom the plot renderer uses (jsdom ships no types).
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string);
    readonly window: { readonly document: Document };
  }
}
