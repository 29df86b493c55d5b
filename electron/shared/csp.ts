// The Content-Security-Policy for the renderer, in both hosts (desktop scheme handler, browser mode).
// No inline or remote script; model output is never HTML, so nothing needs more than this.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React and KaTeX set styles through the CSSOM, which CSP allows; no inline <style> is needed.
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');
