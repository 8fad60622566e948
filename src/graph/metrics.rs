//! Metrics of the file→file import graph: PageRank, import cycles and communities.
//!
//! The graph is given as successor lists indexed by file (sorted, without duplicates or
//! self-loops). petgraph's own `page_rank` compares every pair of nodes in each iteration
//! (quadratic), too slow for 100,000 files, so PageRank is a linear power iteration here.

use std::collections::HashMap;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

/// PageRank with uniform teleport; the rank of files that import nothing is spread over
/// all files, so ranks always sum to 1.
pub(crate) fn page_rank(successors: &[Vec<u32>], damping: f64, max_iterations: usize) -> Vec<f64> {
    let n = successors.len();
    if n == 0 {
        return Vec::new();
    }
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; n];
    let mut next = vec![0.0; n];
    for _ in 0..max_iterations {
        let dangling: f64 = successors.iter().zip(&rank).filter(|(s, _)| s.is_empty()).map(|(_, r)| r).sum();
        let base = (1.0 - damping) * uniform + damping * dangling * uniform;
        next.iter_mut().for_each(|r| *r = base);
        for (from, targets) in successors.iter().enumerate() {
            if targets.is_empty() {
                continue;
            }
            let share = damping * rank[from] / targets.len() as f64;
            for &to in targets {
                next[to as usize] += share;
            }
        }
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < 1e-12 {
            break;
        }
    }
    rank
}

/// Strongly connected components: each file's component id, numbered so that every
/// import between two components goes from a higher id to a lower one (sinks first).
pub(crate) fn components(successors: &[Vec<u32>]) -> Vec<u32> {
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(successors.len(), 0);
    for _ in 0..successors.len() {
        graph.add_node(());
    }
    for (from, targets) in successors.iter().enumerate() {
        for &to in targets {
            graph.add_edge(NodeIndex::new(from), NodeIndex::new(to as usize), ());
        }
    }
    // Kosaraju walks iteratively (petgraph's Tarjan recurses, and a long import chain could
    // overflow the stack) and returns components in reverse topological order.
    let mut component_of = vec![0u32; successors.len()];
    for (id, component) in kosaraju_scc(&graph).into_iter().enumerate() {
        for node in component {
            component_of[node.index()] = id as u32;
        }
    }
    component_of
}

/// Components with more than one file, plus files importing themselves. Each cycle is
/// sorted; cycles are ordered by their first file.
pub(crate) fn cycles(component_of: &[u32], self_imports: &[u32]) -> Vec<Vec<u32>> {
    let mut members: HashMap<u32, Vec<u32>> = HashMap::new();
    for (file, &component) in component_of.iter().enumerate() {
        members.entry(component).or_default().push(file as u32);
    }
    let alone = |file: u32| members.get(&component_of[file as usize]).is_some_and(|m| m.len() == 1);
    let mut found: Vec<Vec<u32>> = self_imports.iter().filter(|&&f| alone(f)).map(|&f| vec![f]).collect();
    found.extend(members.into_values().filter(|files| files.len() > 1));
    found.sort();
    found
}

/// For each (a, b) pair of files, whether an import path leads from either to the other.
/// Dynamic programming over the component DAG with one bit per distinct endpoint
/// component, in chunks to bound memory: O((files + edges) × endpoints / 64).
pub(crate) fn linked_pairs(successors: &[Vec<u32>], component_of: &[u32], pairs: &[(u32, u32)]) -> Vec<bool> {
    const CHUNK_BITS: usize = 4096;
    let component_count = component_of.iter().max().map_or(0, |&m| m as usize + 1);
    let mut component_successors: Vec<Vec<u32>> = vec![Vec::new(); component_count];
    for (from, targets) in successors.iter().enumerate() {
        let from_component = component_of[from];
        for &to in targets {
            let to_component = component_of[to as usize];
            if to_component != from_component {
                debug_assert!(to_component < from_component, "components are in reverse topological order");
                component_successors[from_component as usize].push(to_component);
            }
        }
    }
    let mut endpoints: Vec<u32> =
        pairs.iter().flat_map(|&(a, b)| [component_of[a as usize], component_of[b as usize]]).collect();
    endpoints.sort_unstable();
    endpoints.dedup();

    let mut linked: Vec<bool> =
        pairs.iter().map(|&(a, b)| component_of[a as usize] == component_of[b as usize]).collect();
    for chunk in endpoints.chunks(CHUNK_BITS) {
        let bit_of: HashMap<u32, usize> = chunk.iter().enumerate().map(|(bit, &c)| (c, bit)).collect();
        let words = chunk.len().div_ceil(64);
        let mut reach = vec![0u64; component_count * words];
        // Sinks first, so every successor is complete before its importers read it.
        for (component, next_components) in component_successors.iter().enumerate() {
            let (done, rest) = reach.split_at_mut(component * words);
            let own = &mut rest[..words];
            if let Some(&bit) = bit_of.get(&(component as u32)) {
                own[bit / 64] |= 1 << (bit % 64);
            }
            for &next in next_components {
                let theirs = &done[next as usize * words..(next as usize + 1) * words];
                for (mine, their) in own.iter_mut().zip(theirs) {
                    *mine |= their;
                }
            }
        }
        let reaches = |from: u32, to: u32| {
            bit_of.get(&to).is_some_and(|&bit| reach[from as usize * words + bit / 64] & (1 << (bit % 64)) != 0)
        };
        for (is_linked, &(a, b)) in linked.iter_mut().zip(pairs) {
            let (ca, cb) = (component_of[a as usize], component_of[b as usize]);
            *is_linked |= reaches(ca, cb) || reaches(cb, ca);
        }
    }
    linked
}

/// Communities by Louvain modularity optimisation on the undirected, weighted graph.
/// Nodes are visited in index order and ties keep the current community, so the result
/// is deterministic. Community ids are numbered by their smallest member.
pub(crate) fn communities(node_count: usize, edges: &[(u32, u32, f64)]) -> Vec<usize> {
    let mut level = Level::from_edges(node_count, edges);
    let mut membership: Vec<usize> = (0..node_count).collect();
    for _ in 0..MAX_LEVELS {
        let assignment = level.local_moves();
        let community_count = assignment.iter().max().map_or(0, |m| m + 1);
        for community in membership.iter_mut() {
            *community = assignment[*community];
        }
        if community_count == level.adjacency.len() {
            break;
        }
        level = level.aggregate(&assignment, community_count);
    }
    renumber(&membership)
}

const MAX_LEVELS: usize = 8;
const MAX_PASSES: usize = 32;

/// One level of the Louvain hierarchy: a weighted undirected graph whose nodes may carry
/// internal weight (self-loops from aggregation).
struct Level {
    /// Neighbour lists (excluding self), sorted by neighbour.
    adjacency: Vec<Vec<(usize, f64)>>,
    internal: Vec<f64>,
}

impl Level {
    fn from_edges(node_count: usize, edges: &[(u32, u32, f64)]) -> Self {
        let mut adjacency = vec![Vec::new(); node_count];
        let mut internal = vec![0.0; node_count];
        for &(a, b, weight) in edges {
            let (a, b) = (a as usize, b as usize);
            if a == b {
                internal[a] += weight;
            } else {
                adjacency[a].push((b, weight));
                adjacency[b].push((a, weight));
            }
        }
        for neighbours in adjacency.iter_mut() {
            merge_sorted(neighbours);
        }
        Level { adjacency, internal }
    }

    fn degree(&self, node: usize) -> f64 {
        self.adjacency[node].iter().map(|(_, w)| w).sum::<f64>() + 2.0 * self.internal[node]
    }

    /// Moves nodes between communities while modularity improves; returns each node's
    /// community renumbered 0.. by first appearance.
    fn local_moves(&self) -> Vec<usize> {
        let n = self.adjacency.len();
        let degree: Vec<f64> = (0..n).map(|i| self.degree(i)).collect();
        let total: f64 = degree.iter().sum();
        let mut community: Vec<usize> = (0..n).collect();
        if total <= 0.0 {
            return community;
        }
        let mut community_degree = degree.clone();
        let mut weight_to = vec![0.0; n];
        let mut touched: Vec<usize> = Vec::new();
        for _ in 0..MAX_PASSES {
            let mut moved = false;
            for node in 0..n {
                if self.adjacency[node].is_empty() {
                    continue;
                }
                let current = community[node];
                for &(neighbour, weight) in &self.adjacency[node] {
                    let c = community[neighbour];
                    if weight_to[c] == 0.0 {
                        touched.push(c);
                    }
                    weight_to[c] += weight;
                }
                community_degree[current] -= degree[node];
                let gain = |c: usize| weight_to[c] - community_degree[c] * degree[node] / total;
                let mut best = current;
                let mut best_gain = gain(current);
                touched.sort_unstable();
                for &c in &touched {
                    let g = gain(c);
                    if g > best_gain + 1e-12 {
                        best = c;
                        best_gain = g;
                    }
                }
                community_degree[best] += degree[node];
                community[node] = best;
                moved |= best != current;
                for &c in &touched {
                    weight_to[c] = 0.0;
                }
                touched.clear();
            }
            if !moved {
                break;
            }
        }
        renumber(&community)
    }

    fn aggregate(&self, assignment: &[usize], community_count: usize) -> Level {
        let mut adjacency = vec![Vec::new(); community_count];
        let mut internal = vec![0.0; community_count];
        for (node, neighbours) in self.adjacency.iter().enumerate() {
            let from = assignment[node];
            internal[from] += self.internal[node];
            for &(neighbour, weight) in neighbours {
                let to = assignment[neighbour];
                if from == to {
                    // Each undirected edge is seen from both ends.
                    internal[from] += weight / 2.0;
                } else {
                    adjacency[from].push((to, weight));
                }
            }
        }
        for neighbours in adjacency.iter_mut() {
            merge_sorted(neighbours);
        }
        Level { adjacency, internal }
    }
}

fn merge_sorted(neighbours: &mut Vec<(usize, f64)>) {
    neighbours.sort_by_key(|(n, _)| *n);
    let mut merged: Vec<(usize, f64)> = Vec::with_capacity(neighbours.len());
    for &(n, w) in neighbours.iter() {
        match merged.last_mut() {
            Some((last, total)) if *last == n => *total += w,
            _ => merged.push((n, w)),
        }
    }
    *neighbours = merged;
}

fn renumber(community: &[usize]) -> Vec<usize> {
    let mut ids = vec![usize::MAX; community.len()];
    let mut next = 0;
    community
        .iter()
        .map(|&c| {
            if ids[c] == usize::MAX {
                ids[c] = next;
                next += 1;
            }
            ids[c]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_rank_ranks_a_hub_first_and_sums_to_one() {
        // Five pages import `db` (4); `db` imports nothing (dangling).
        let successors = vec![vec![4], vec![4], vec![4, 0], vec![4], vec![]];
        let rank = page_rank(&successors, 0.85, 30);
        let sum: f64 = rank.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "sum {sum}");
        let hub = rank.iter().cloned().fold(f64::MIN, f64::max);
        assert_eq!(rank[4], hub);
        assert!(rank[0] > rank[1], "imported once beats never imported");
    }

    #[test]
    fn cycles_include_self_imports_and_skip_acyclic_chains() {
        let successors = vec![vec![1], vec![2], vec![0], vec![0], vec![]];
        assert_eq!(cycles(&components(&successors), &[4]), vec![vec![0, 1, 2], vec![4]]);
        assert!(cycles(&components(&[vec![1], vec![2], vec![]]), &[]).is_empty());
    }

    #[test]
    fn linked_pairs_follow_paths_through_and_out_of_cycles() {
        // 0 → 1 ⇄ 2 → 3;  4 → 3;  5 alone.
        let successors = vec![vec![1], vec![2], vec![1, 3], vec![], vec![3], vec![]];
        let component_of = components(&successors);
        let pairs = [(0, 3), (3, 0), (2, 1), (0, 4), (4, 1), (5, 0)];
        assert_eq!(linked_pairs(&successors, &component_of, &pairs), vec![true, true, true, false, false, false]);
    }

    #[test]
    fn louvain_separates_two_cliques_joined_by_one_edge() {
        let mut edges = Vec::new();
        for group in [[0u32, 1, 2, 3], [4, 5, 6, 7]] {
            for (i, &a) in group.iter().enumerate() {
                for &b in &group[i + 1..] {
                    edges.push((a, b, 1.0));
                }
            }
        }
        edges.push((3, 4, 1.0));
        let communities = communities(9, &edges);
        assert_eq!(communities, vec![0, 0, 0, 0, 1, 1, 1, 1, 2]);
    }
}
