// Server prefetch for react-query: a page's server component loads what its client
// components will ask for, under the same keys (lib/ui/query-keys.ts), and hands it over
// with <HydrationBoundary state={…}>. Values go through JSON, exactly as the API would
// send them, so hydrated data and fetched data have one shape.
import { dehydrate, type DehydratedState, type QueryKey } from "@tanstack/react-query";
import { makeQueryClient } from "@/lib/query-client";

export async function prefetch(queries: { queryKey: QueryKey; load: () => Promise<unknown> }[]): Promise<DehydratedState> {
  const client = makeQueryClient();
  await Promise.all(
    queries.map(({ queryKey, load }) =>
      client.prefetchQuery({ queryKey, queryFn: async () => JSON.parse(JSON.stringify(await load())) as unknown }),
    ),
  );
  return dehydrate(client);
}
