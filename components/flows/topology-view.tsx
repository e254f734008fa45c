"use client";
// The org topology drawn with React Flow: each node links to its page (click, or Enter
// on a focused node), packages are boxes around what they manage, and every edge says
// how much went through it in the last hour. A text list below says the same for
// screen readers and for a search in the page.
import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from "@xyflow/react";
import { RefitOnResize } from "@/components/ui/refit-on-resize";
import "@xyflow/react/dist/style.css";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { Topology } from "@/lib/flows/topology";
import { layoutTopology } from "./topology-layout";

const KIND_LABEL = { source: "source", mapping: "mapping", target: "target" } as const;

function edgeLabel(count: number, failed: number): string {
  return failed > 0 ? `${count} · ${failed} failed` : String(count);
}

export function TopologyView({ topology }: { topology: Topology }) {
  const router = useRouter();
  const layout = layoutTopology(topology);
  const groups: Node[] = layout.groups.map((g) => ({
    id: `package:${g.package}`,
    position: { x: g.x, y: g.y },
    data: { label: <span className="topology-package">package {g.package}</span> },
    className: "topology-group",
    style: { width: g.width, height: g.height },
    draggable: false,
    selectable: false,
    connectable: false,
    zIndex: -1,
  }));
  const nodes: Node[] = layout.nodes.map((n) => ({
    id: n.id,
    position: { x: n.x, y: n.y },
    data: {
      label: (
        <span className="dag-label">
          <span className="dag-title">{n.label}</span>
          <span className="dag-subtitle">
            {KIND_LABEL[n.kind]} · {n.detail}
            {n.counts ? ` · ${n.counts.events} events${n.counts.failed ? `, ${n.counts.failed} failed` : ""} (1 h)` : ""}
          </span>
          {n.package ? <span className="managed-mark">managed by {n.package}</span> : null}
        </span>
      ),
    },
    className: `dag-node dag-${n.kind === "source" ? "endpoint" : n.kind === "target" ? "target" : "step"}${n.active ? "" : " dag-inactive"}`,
    type: n.kind === "source" ? "input" : n.kind === "target" ? "output" : "default",
    sourcePosition: Position.Right,
    targetPosition: Position.Left,
    draggable: false,
    connectable: false,
    ariaLabel: `${KIND_LABEL[n.kind]} ${n.label}${n.package ? `, managed by ${n.package}` : ""}: open its page`,
  }));
  const edges: Edge[] = topology.edges.map((e) => ({
    id: e.id,
    source: e.from,
    target: e.to,
    label: edgeLabel(e.count, e.failed),
    className: e.failed > 0 ? "topology-edge-failing" : undefined,
    markerEnd: { type: MarkerType.ArrowClosed },
    animated: e.count > 0,
  }));
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  return (
    <>
      <div className="topology" style={{ height: Math.min(900, Math.max(320, layout.height + 80)) }} data-testid="topology">
        <ReactFlow
          nodes={[...groups, ...nodes]}
          edges={edges}
          fitView
          nodesDraggable={false}
          nodesConnectable={false}
          zoomOnScroll={false}
          preventScrolling={false}
          minZoom={0.2}
          onNodeClick={(_e, node) => {
            const target = byId.get(node.id);
            if (target) router.push(target.href);
          }}
        >
          <Background gap={24} />
          <Controls showInteractive={false} />
          <RefitOnResize />
        </ReactFlow>
      </div>
      <details className="card">
        <summary>The same as a list</summary>
        <ul className="small" data-testid="topology-list">
          {topology.edges.map((e) => {
            const from = byId.get(e.from);
            const to = byId.get(e.to);
            if (!from || !to) return null;
            return (
              <li key={e.id}>
                <Link href={from.href}>{from.label}</Link> → <Link href={to.href}>{to.label}</Link>:{" "}
                {e.kind === "route" ? "deliveries" : "events"} in the last hour {edgeLabel(e.count, e.failed)}
              </li>
            );
          })}
        </ul>
      </details>
    </>
  );
}
