// The one react-query client configuration, shared by the browser provider and (later)
// server-side prefetching, so both sides agree on freshness.
import { QueryClient } from "@tanstack/react-query";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Above zero so data prefetched on the server is not refetched right after hydration.
      queries: { staleTime: 30_000, refetchOnWindowFocus: false },
    },
  });
}
