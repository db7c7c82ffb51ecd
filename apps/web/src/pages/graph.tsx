import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "../api";
import { Link } from "../App";
import { useI18n } from "../i18n";

const SIZE = 600;

/**
 * Memos as points on a circle, links as lines between them: readable for the few hundred linked memos a person
 * has, with no layout library. Each node is a link to its memo, so the graph is usable from the keyboard.
 */
export function GraphPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const graph = useQuery(trpc.relation.graph.queryOptions());
  const nodes = graph.data?.nodes ?? [];
  const radius = SIZE / 2 - 40;
  const position = new Map(
    nodes.map((node, i) => {
      const angle = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
      return [node.id, { x: SIZE / 2 + radius * Math.cos(angle), y: SIZE / 2 + radius * Math.sin(angle) }];
    }),
  );
  return (
    <>
      <h1>{t("graphTitle")}</h1>
      {graph.isSuccess && nodes.length === 0 && <p className="muted">{t("graphEmpty")}</p>}
      {nodes.length > 0 && (
        <svg viewBox={`0 0 ${SIZE} ${SIZE}`} className="graph" role="group" aria-label={t("graphTitle")}>
          {graph.data?.edges.map((edge) => {
            const a = position.get(edge.source);
            const b = position.get(edge.target);
            return a && b ? (
              <line
                key={`${edge.source}-${edge.target}`}
                x1={a.x}
                y1={a.y}
                x2={b.x}
                y2={b.y}
                className="edge"
              />
            ) : null;
          })}
          {nodes.map((node) => {
            const at = position.get(node.id)!;
            return (
              <Link key={node.id} to={`/memo/${node.id}`} aria-label={node.excerpt}>
                <circle cx={at.x} cy={at.y} r={8} className="node" />
                <text x={at.x} y={at.y - 12} textAnchor="middle" className="node-label">
                  {node.excerpt.slice(0, 16)}
                </text>
              </Link>
            );
          })}
        </svg>
      )}
    </>
  );
}
