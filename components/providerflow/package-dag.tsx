"use client";
// The package DAG (providerflow.md §6: the app shows reviewers the DAG), drawn with
// React Flow from the positions of dag-layout.ts. Read-only: pan and zoom, nothing to
// drag or connect. The same flows are listed as text beside it for screen readers. In the
// package editor a node can be selected, to reveal its lines.
import { Background, Controls, Position, ReactFlow, type Edge, type Node } from "@xyflow/react";
import { RefitOnResize } from "@/components/ui/refit-on-resize";
import "@xyflow/react/dist/style.css";
import type { DagLayout } from "./dag-layout";

const MIN_HEIGHT = 220;
const MAX_HEIGHT = 640;

export function PackageDag({
  layout,
  selectedId,
  onSelect,
}: {
  layout: DagLayout;
  /** The editor's selection: that node is highlighted. */
  selectedId?: string | null;
  /** Given, a click (or Enter on a focused node) selects a node. */
  onSelect?: (id: string) => void;
}) {
  const nodes: Node[] = layout.nodes.map((n) => ({
    id: n.id,
    position: { x: n.x, y: n.y },
    data: {
      label: (
        <span className="dag-label">
          <span className="dag-title">{n.title}</span>
          <span className="dag-subtitle">{n.subtitle}</span>
        </span>
      ),
    },
    className: `dag-node dag-${n.kind}${n.id === selectedId ? " dag-selected" : ""}`,
    type: n.kind === "endpoint" ? "input" : n.kind === "target" ? "output" : "default",
    sourcePosition: Position.Right,
    targetPosition: Position.Left,
    draggable: false,
    connectable: false,
    selectable: Boolean(onSelect),
    ariaLabel: `${n.title}: ${n.subtitle}`,
  }));
  const edges: Edge[] = layout.edges.map((e) => ({ id: e.id, source: e.source, target: e.target }));
  const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, layout.height + 60));
  return (
    <div className="dag" style={{ height }} data-testid="package-dag">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={Boolean(onSelect)}
        onNodeClick={onSelect ? (_event, node) => onSelect(node.id) : undefined}
        zoomOnScroll={false}
        preventScrolling={false}
        minZoom={0.3}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <RefitOnResize />
      </ReactFlow>
    </div>
  );
}
