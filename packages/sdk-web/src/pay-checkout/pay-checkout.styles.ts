import { css } from 'lit';

// Every colour goes through a public custom property (--pay-*) with a light and a dark default,
// so a merchant themes it from outside and the dark scheme still works when they do not.
export const payCheckoutStyles = css`
  :host {
    --_accent: var(--pay-accent, #4338ca);
    --_accent-fg: var(--pay-accent-contrast, #ffffff);
    --_bg: var(--pay-bg, #ffffff);
    --_fg: var(--pay-fg, #111827);
    --_muted: var(--pay-muted, #4b5563);
    --_border: var(--pay-border, #9ca3af);
    --_surface: var(--pay-surface, #f3f4f6);
    --_error: var(--pay-error, #b91c1c);
    --_success: var(--pay-success, #047857);
    --_warn-bg: var(--pay-warning-bg, #fef3c7);
    --_warn-fg: var(--pay-warning-fg, #78350f);
    --_radius: var(--pay-radius, 10px);
    display: block;
    box-sizing: border-box;
    width: 100%;
    max-width: 440px;
    min-width: 0;
    color: var(--_fg);
    font: 15px/1.45 var(--pay-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--pay-accent, #a5b4fc);
      --_accent-fg: var(--pay-accent-contrast, #111827);
      --_bg: var(--pay-bg, #111827);
      --_fg: var(--pay-fg, #f9fafb);
      --_muted: var(--pay-muted, #d1d5db);
      --_border: var(--pay-border, #6b7280);
      --_surface: var(--pay-surface, #1f2937);
      --_error: var(--pay-error, #fca5a5);
      --_success: var(--pay-success, #6ee7b7);
      --_warn-bg: var(--pay-warning-bg, #422006);
      --_warn-fg: var(--pay-warning-fg, #fde68a);
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .base {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 20px;
    overflow-wrap: anywhere;
  }
  @media (max-width: 360px) {
    .base {
      padding: 14px;
    }
  }
  .header {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: 12px;
    flex-wrap: wrap;
    margin-bottom: 14px;
  }
  .merchant {
    font-weight: 600;
    margin: 0;
    font-size: 1rem;
  }
  .amount {
    font-size: 1.5rem;
    font-weight: 700;
    margin: 0;
  }
  .order-id,
  .hint,
  .muted {
    color: var(--_muted);
    font-size: 0.85rem;
  }
  .banner {
    background: var(--_warn-bg);
    color: var(--_warn-fg);
    border-radius: calc(var(--_radius) - 4px);
    padding: 8px 10px;
    font-size: 0.85rem;
    margin: 0 0 14px;
  }
  .banner code {
    white-space: nowrap;
  }
  .banner code,
  .mono {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }
  [role='tablist'] {
    display: flex;
    gap: 4px;
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: 4px;
    margin-bottom: 16px;
  }
  [role='tab'] {
    flex: 1;
    font: inherit;
    font-weight: 600;
    color: var(--_fg);
    background: transparent;
    border: 0;
    border-radius: calc(var(--_radius) - 3px);
    padding: 8px 12px;
    cursor: pointer;
  }
  [role='tab'][aria-selected='true'] {
    background: var(--_bg);
    color: var(--_accent);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.15);
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin-bottom: 12px;
    min-width: 0;
  }
  .row {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 12px;
  }
  label {
    font-weight: 600;
    font-size: 0.9rem;
  }
  .input-wrap {
    position: relative;
  }
  input {
    width: 100%;
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 4px);
    padding: 10px 12px;
    min-height: 44px;
  }
  input[aria-invalid='true'] {
    border-color: var(--_error);
  }
  .network {
    position: absolute;
    right: 10px;
    top: 50%;
    transform: translateY(-50%);
    font-size: 0.8rem;
    font-weight: 700;
    color: var(--_muted);
    pointer-events: none;
  }
  .error {
    color: var(--_error);
    font-size: 0.85rem;
    margin: 0;
    min-height: 0;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  .pay,
  .primary {
    width: 100%;
    min-height: 48px;
    border: 0;
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_accent);
    color: var(--_accent-fg);
    font-weight: 700;
    font-size: 1rem;
    padding: 10px 16px;
    margin-top: 4px;
  }
  .pay[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .secondary {
    min-height: 44px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_bg);
    color: var(--_fg);
    font-weight: 600;
    padding: 8px 14px;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .qr {
    display: flex;
    gap: 16px;
    align-items: center;
    flex-wrap: wrap;
    margin-bottom: 12px;
  }
  .qr svg {
    width: 148px;
    height: 148px;
    background: #ffffff;
    border-radius: 6px;
    flex: none;
  }
  .qr-text {
    flex: 1 1 160px;
    min-width: 0;
  }
  .qr-text p {
    margin: 0 0 6px;
  }
  .upi-app {
    display: none;
    margin-top: 8px;
    color: var(--_accent);
    font-weight: 700;
  }
  @media (pointer: coarse) {
    .upi-app {
      display: inline-block;
    }
  }
  .mock-bank {
    border: 1px dashed var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    padding: 10px;
    margin-bottom: 12px;
  }
  .mock-bank p {
    margin: 0 0 8px;
    font-size: 0.9rem;
  }
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
  }
  .actions.center {
    justify-content: center;
  }
  .divider {
    display: flex;
    align-items: center;
    gap: 8px;
    color: var(--_muted);
    font-size: 0.85rem;
    margin: 4px 0 12px;
  }
  .divider::before,
  .divider::after {
    content: '';
    flex: 1;
    border-top: 1px solid var(--_border);
  }
  .alert {
    color: var(--_error);
    margin: 0 0 12px;
  }
  .status {
    text-align: center;
    padding: 12px 0 4px;
  }
  .status h2 {
    margin: 8px 0;
    font-size: 1.25rem;
  }
  .status h2:focus {
    outline: none;
  }
  .status.success h2,
  .status.success .icon {
    color: var(--_success);
  }
  .status.failed h2,
  .status.failed .icon {
    color: var(--_error);
  }
  .icon {
    width: 48px;
    height: 48px;
    margin: 0 auto;
    display: block;
  }
  .spinner {
    width: 40px;
    height: 40px;
    margin: 8px auto;
    border-radius: 50%;
    border: 4px solid var(--_surface);
    border-top-color: var(--_accent);
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
      border-top-color: var(--_accent);
      border-right-color: var(--_accent);
    }
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
