// The `mjml` package ships no types; Herald calls only its default export (see mjml-compile.ts).
declare module 'mjml' {
  const mjml2html: (source: string, options?: Record<string, unknown>) => unknown;
  export default mjml2html;
}
