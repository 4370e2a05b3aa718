/**
 * The Content-Security-Policy for the renderer in both modes. 'unsafe-inline' for styles only: xterm.js
 * writes its own <style> elements; scripts stay 'self' only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
