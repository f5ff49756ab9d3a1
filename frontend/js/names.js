// People's names, for pages that show people from outside the current team too.
import { ApiError, get } from "./api.js";

/** Names by user id: the team's members known at once, anyone else looked up once. */
export class Names {
  constructor(members = []) {
    this.known = new Map(members.map((m) => [m.user_id, m.name]));
  }

  /** Look up the names not known yet; one the user may not see stays unknown. */
  async learn(ids) {
    const unknown = [...new Set(ids)].filter((id) => id && !this.known.has(id));
    await Promise.all(
      unknown.map(async (id) => {
        try {
          this.known.set(id, (await get(`/users/${id}`)).name);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          this.known.set(id, null);
        }
      }),
    );
  }

  /** The name of `id`, or `otherwise` when it is unknown. */
  of(id, otherwise = String(id)) {
    return this.known.get(id) ?? otherwise;
  }
}
