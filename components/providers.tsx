"use client";
// The app's single QueryClientProvider, with the toasts and confirmation dialogs every
// page may use. One client per browser tab; a fresh one per
// server render, so no data leaks between requests.
import { QueryClientProvider, isServer, type QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { makeQueryClient } from "@/lib/query-client";
import { ConfirmProvider } from "./ui/dialog";
import { ToastProvider } from "./ui/toast";

let browserClient: QueryClient | undefined;

function queryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}

export function Providers({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient()}>
      <ToastProvider>
        <ConfirmProvider>{children}</ConfirmProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
