"use client";
// Inside a <ReactFlow>: fits the graph to its view again when the view changes size
// (a window resized, a tablet turned) or the graph gains or loses nodes (the editor's
// DAG growing as the YAML is typed). React Flow's own `fitView` prop fits only once, on
// load. Waits for the size to settle, so a window being dragged refits once.
import { useReactFlow, useStore } from "@xyflow/react";
import { useEffect, useRef } from "react";

const SETTLE_MS = 150;

export function RefitOnResize() {
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const nodeCount = useStore((s) => s.nodes.length);
  const { fitView } = useReactFlow();
  const first = useRef(true);
  useEffect(() => {
    // The first size is the load, which the fitView prop already handles.
    if (first.current) {
      first.current = false;
      return;
    }
    if (width === 0 || height === 0) return;
    const timer = setTimeout(() => void fitView(), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [width, height, nodeCount, fitView]);
  return null;
}
