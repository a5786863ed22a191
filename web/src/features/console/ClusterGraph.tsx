import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { indicatorPath } from './paths';

export interface Graph {
  nodes: { id: string; type: string; label: string; kind?: string }[];
  edges: { source: string; target: string }[];
  truncated: boolean;
}

/**
 * Cytoscape adds a one-line <style> for its container unless an element with this id exists; the page's
 * Content-Security-Policy refuses inline styles, so styles.css carries that rule and this marks it present.
 */
function markCytoscapeStyleProvided(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id) !== null) return;
  const marker = document.createElement('meta');
  marker.id = id;
  marker.name = 'cytoscape-style';
  marker.content = 'in styles.css';
  document.head.append(marker);
}

/**
 * The cluster as a graph: reports (squares) joined through the values they share (circles, named). Drag,
 * zoom and pan; choosing a node opens its report or value. The lists beside it say the same for keyboards.
 */
export default function ClusterGraph({ graph }: { graph: Graph }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    if (box.current === null) return;
    markCytoscapeStyleProvided();
    const cy = cytoscape({
      container: box.current,
      elements: [
        ...graph.nodes.map((n) => ({ data: { id: n.id, label: n.label, type: n.type, kind: n.kind ?? '' } })),
        ...graph.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target } })),
      ],
      style: [
        { selector: 'node', style: { label: 'data(label)', 'font-size': 10, color: '#1b1f24', 'text-valign': 'bottom', 'text-margin-y': 4 } },
        { selector: 'node[type = "report"]', style: { shape: 'round-rectangle', 'background-color': '#0b57d0', width: 18, height: 18 } },
        { selector: 'node[type = "indicator"]', style: { shape: 'ellipse', 'background-color': '#9b1c1c', width: 26, height: 26, 'font-weight': 'bold' } },
        { selector: 'edge', style: { width: 1.5, 'line-color': '#8a94a3' } },
        { selector: ':selected', style: { 'border-width': 3, 'border-color': '#000' } },
      ],
      layout: { name: 'cose', animate: false, nodeRepulsion: () => 8000, idealEdgeLength: () => 60 },
      wheelSensitivity: 0.3,
    });
    cy.on('tap', 'node', (event) => {
      const node = event.target as cytoscape.NodeSingular;
      if (node.data('type') === 'report') void navigate(`/console/reports/${node.id()}`);
      else void navigate(indicatorPath(node.data('label') as string, node.data('kind') as string));
    });
    return () => cy.destroy();
  }, [graph, navigate]);
  return (
    <figure className="graph">
      <div
        ref={box}
        className="graph-canvas"
        role="img"
        aria-label={t('console.graphLabel', { reports: graph.nodes.filter((n) => n.type === 'report').length, values: graph.nodes.filter((n) => n.type !== 'report').length })}
      />
      <figcaption>
        {t('console.graphHelp')}
        {graph.truncated && ` ${t('console.graphTruncated')}`}
      </figcaption>
    </figure>
  );
}
