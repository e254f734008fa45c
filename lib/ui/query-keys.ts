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
} as const;
