// The console's button: one look per intent, and a busy state that keeps the label's
// width, disables the button and tells assistive technology (aria-busy).
import type { ButtonHTMLAttributes } from "react";

export type ButtonVariant = "primary" | "default" | "quiet" | "danger";

const CLASS: Record<ButtonVariant, string> = {
  primary: "button button-primary",
  default: "button",
  quiet: "button button-quiet",
  danger: "button button-danger",
};

export function Button({
  variant = "default",
  busy = false,
  busyLabel,
  children,
  className,
  disabled,
  type = "button",
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; busy?: boolean; busyLabel?: string }) {
  return (
    <button
      {...rest}
      type={type}
      className={className ? `${CLASS[variant]} ${className}` : CLASS[variant]}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
