"use client";
// Short confirmations of what just happened ("Invitation sent"), announced politely to
// screen readers and gone after a few seconds. Errors that need the user's attention stay
// in the form (Field errors, ProblemBox) instead.
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

type Toast = { id: number; message: string; tone: "ok" | "bad" };

const ToastContext = createContext<((message: string, tone?: Toast["tone"]) => void) | null>(null);

const SHOWN_MS = 5000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const show = useCallback((message: string, tone: Toast["tone"] = "ok") => {
    const id = Date.now() + Math.random();
    setToasts((all) => [...all.slice(-2), { id, message, tone }]);
    setTimeout(() => setToasts((all) => all.filter((t) => t.id !== id)), SHOWN_MS);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toasts" aria-live="polite" data-testid="toasts">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            {t.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): (message: string, tone?: "ok" | "bad") => void {
  const show = useContext(ToastContext);
  if (!show) throw new Error("useToast needs a ToastProvider (components/providers.tsx)");
  return show;
}
