// The one react-query key factory. Every query the console makes is keyed here, so a
// mutation invalidates exactly what it changed (`queryKeys.members.all` covers every
// members query) and server prefetches use the same keys the client components read.
export const queryKeys = {
  members: {
    all: ["members"] as const,
    list: () => [...queryKeys.members.all, "list"] as const,
  },
  org: {
    all: ["org"] as const,
    settings: () => [...queryKeys.org.all, "settings"] as const,
  },
  tokens: {
    all: ["tokens"] as const,
    list: () => [...queryKeys.tokens.all, "list"] as const,
  },
  deliveries: {
    all: ["deliveries"] as const,
    /** One page of the list: the filters and cursor as the URL has them. */
    list: (filters: Record<string, string>) => [...queryKeys.deliveries.all, "list", filters] as const,
  },
  events: {
    all: ["events"] as const,
    /** One page of the list: the filters and cursor as the URL has them. */
    list: (filters: Record<string, string>) => [...queryKeys.events.all, "list", filters] as const,
  },
  flowVersions: {
    all: ["flow-versions"] as const,
    detail: (id: string) => [...queryKeys.flowVersions.all, "detail", id] as const,
  },
} as const;
