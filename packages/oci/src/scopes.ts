/**
 * Token scopes: what a request needs of which repository (`repository:org/app:pull,push`
 * on the wire), merged and compared so one token can serve every request it covers.
 */
export type Action = 'pull' | 'push';

/** Access to one repository: `repository:org/app:pull,push` on the wire. */
export interface Scope {
  repository: string;
  actions: readonly Action[];
}

/** Pull on a repository: what reading needs. */
export function pullScope(repo: { repository: string }): Scope {
  return { repository: repo.repository, actions: ['pull'] };
}

/** Pull and push on a repository: what writing needs (registries check pull as they write). */
export function pushScope(repo: { repository: string }): Scope {
  return { repository: repo.repository, actions: ['pull', 'push'] };
}

/** `repository:org/app:pull,push`. */
export function scopeString(scope: Scope): string {
  return `repository:${scope.repository}:${scope.actions.join(',')}`;
}

/** One entry per repository, actions merged and ordered (pull before push), repositories sorted. */
export function normalizeScopes(scopes: readonly Scope[]): Scope[] {
  const merged = new Map<string, Set<Action>>();
  for (const s of scopes) {
    const set = merged.get(s.repository) ?? new Set<Action>();
    for (const a of s.actions) set.add(a);
    merged.set(s.repository, set);
  }
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([repository, set]) => ({
      repository,
      actions: (['pull', 'push'] as const).filter((a) => set.has(a)),
    }));
}

/** Whether `granted` includes every action of `wanted`. */
export function covers(granted: readonly Scope[], wanted: readonly Scope[]): boolean {
  return wanted.every((w) =>
    w.actions.every((a) =>
      granted.some((g) => g.repository === w.repository && g.actions.includes(a)),
    ),
  );
}

/** `pull on a/b and pull,push on c/d`, for messages. */
export function describeScopes(scopes: readonly Scope[]): string {
  return scopes.map((s) => `${s.actions.join(',')} on ${s.repository}`).join(' and ');
}
