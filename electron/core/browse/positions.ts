/**
 * Where rows are in the order, as far as a row source knows: the total (estimated or exact) and ANCHORS,
 * rows read before whose position is known. Pure bookkeeping, no SQL: `plan` picks how to read a window,
 * `place` turns what the read returned into row positions and learns from it.
 *
 * Positions live in three spaces. HEAD positions count from the first row and are exact. TAIL positions count
 * back from the last row (0 is the last row); they are what a read from the end gives while the total is
 * only an estimate, and they are shown as `total - 1 - distance`. The two spaces merge into one as soon as
 * the total is exact: when a read meets the first or last row, when a row is seen in both spaces, or when the
 * rows are counted.
 *
 * JUMP positions belong to one ISLAND: rows around a row placed approximately (a far jump placed by
 * interpolation, see jump.ts, `pin`). They are exact relative to one another, so scrolling from the jump shows
 * every row once, and their distance from the first row is a guess. The island joins the head or tail space
 * when one of its reads meets the first or last row, or shares a row with that space (the row just past a
 * window counts too); it is dropped when exact rows cover its positions with other rows, and a new jump starts
 * a new island (the old one's guess and the new one need not agree). Each time rows already shown move so,
 * `placement` grows, and the client reads them again.
 */
import type { RowTotal } from '../../../shared/browse.ts';
import type { CellValue } from '../../../shared/values.ts';

export type Space = 'head' | 'tail' | 'jump';

export interface Anchor {
  space: Space;
  /** HEAD: index from the first row. TAIL: distance from the last row. JUMP: index from the first row, approximate. */
  pos: number;
  /** The values of the order's columns in this row. */
  values: CellValue[];
  /** The row's identity in the order (its order values, as text). */
  id: string;
  /** JUMP: the island the anchor belongs to. */
  island?: number;
}

export interface ReadPlan {
  /** `forward` reads in the order, `backward` in its reverse. */
  direction: 'forward' | 'backward';
  /** Null: from the first row (forward) or from the last row (backward). */
  anchor: Anchor | null;
  /** Rows skipped between the anchor (or the end) and the window. */
  offset: number;
  /** Rows wanted; a read asks for one more, to see whether the data goes on past the window. */
  limit: number;
  space: Space;
}

export interface PlacedWindow {
  /** The window's rows in the order (a backward read reversed). */
  rows: CellValue[][];
  start: number;
  startExact: boolean;
  atEnd: boolean;
  /** The book's `placement` when the window was placed. */
  placement: number;
}

export interface PositionOptions {
  /** Keyset paging: anchors are kept and read from. Otherwise only the two ends are. */
  anchors: boolean;
  /** The order is total, so it can be read from the end. */
  reversible: boolean;
  /** Anchors kept at most; the oldest go first. */
  maxAnchors?: number;
  /** An anchor whose values are larger than this (a sort on a big text column) is not kept. */
  maxAnchorChars?: number;
}

/** What `place` needs from a row: its anchor values and identity. */
export type RowIdentity = (row: CellValue[]) => { values: CellValue[]; id: string };

/** `misplaced`: the read was from an island that proved misplaced, and is dropped; plan again. */
export type PlaceResult = { kind: 'placed'; window: PlacedWindow } | { kind: 'overshoot' } | { kind: 'misplaced' };

const DEFAULT_MAX_ANCHORS = 1024;
const DEFAULT_MAX_ANCHOR_CHARS = 64 * 1024;

export class PositionBook {
  private readonly head = new Map<string, Anchor>();
  private readonly tail = new Map<string, Anchor>();
  /** The current island's anchors (JUMP space). */
  private readonly jump = new Map<string, Anchor>();
  private island = 0;
  /**
   * Counts the times rows already placed were placed anew: an island found its real place, a drift, a total
   * that changed while rows were placed from the end. A window placed under a smaller number may be stale.
   */
  placement = 0;
  private readonly maxAnchors: number;
  private readonly maxAnchorChars: number;
  total: RowTotal;

  constructor(
    total: RowTotal,
    private readonly options: PositionOptions,
  ) {
    this.total = { ...total };
    this.maxAnchors = options.maxAnchors ?? DEFAULT_MAX_ANCHORS;
    this.maxAnchorChars = options.maxAnchorChars ?? DEFAULT_MAX_ANCHOR_CHARS;
  }

  get anchorCount(): number {
    return this.head.size + this.tail.size + this.jump.size;
  }

  /**
   * The cheapest read of `[start, start + count)`: the one that skips fewest rows, from the first row, the
   * last row, or an anchor on either side. Null when the window lies past a known end.
   */
  plan(start: number, count: number): ReadPlan | null {
    const { rows: total, exact } = this.total;
    let limit = count;
    if (total !== null && exact) {
      // Past a known end there is nothing to read; the first window is read even of an empty table (it may have filled since).
      if (start >= total && start > 0) return null;
      if (start < total) limit = Math.min(count, total - start);
    }
    const candidates: ReadPlan[] = [{ direction: 'forward', anchor: null, offset: start, limit, space: 'head' }];
    if (this.options.anchors) {
      for (const anchor of this.head.values()) this.fromAnchor(candidates, anchor, anchor.pos, start, limit);
      for (const anchor of this.jump.values()) this.fromAnchor(candidates, anchor, anchor.pos, start, limit);
    }
    if (this.options.reversible && total !== null && start < total) {
      const end = Math.min(start + limit, total);
      candidates.push({ direction: 'backward', anchor: null, offset: total - end, limit: end - start, space: exact ? 'head' : 'tail' });
      if (this.options.anchors) {
        for (const anchor of this.tail.values()) this.fromAnchor(candidates, anchor, total - 1 - anchor.pos, start, limit);
      }
    }
    // Fewest rows skipped; on a tie, exact positions, then the read that gives the most rows.
    let best = candidates[0]!;
    for (const c of candidates.slice(1)) {
      const better =
        c.offset < best.offset ||
        (c.offset === best.offset && c.space === 'head' && best.space !== 'head') ||
        (c.offset === best.offset && c.space === best.space && c.limit > best.limit);
      if (better) best = c;
    }
    return best;
  }

  private fromAnchor(into: ReadPlan[], anchor: Anchor, shownAt: number, start: number, limit: number): void {
    if (shownAt < start) into.push({ direction: 'forward', anchor, offset: start - shownAt - 1, limit, space: anchor.space });
    else if (shownAt >= start + limit) into.push({ direction: 'backward', anchor, offset: shownAt - start - limit, limit, space: anchor.space });
  }

  /**
   * Places what a plan read (in read order, up to `limit + 1` rows) and learns from it: the end or the start
   * of the data, the total, new anchors. `overshoot`: the plan skipped past the end (the estimate was high).
   */
  place(plan: ReadPlan, read: CellValue[][], identity: RowIdentity): PlaceResult {
    const more = read.length > plan.limit;
    const got = more ? read.slice(0, plan.limit) : read;
    const n = got.length;
    if (n === 0 && plan.offset > 0) return { kind: 'overshoot' };
    const rows = plan.direction === 'forward' ? got : [...got].reverse();
    // The row after the window in the read direction, read to see whether the data goes on: it links windows too.
    const next = more ? read[plan.limit]! : null;
    if (plan.space === 'jump') {
      const window = this.placeInIsland(plan, rows, next, identity);
      return window ? { kind: 'placed', window } : { kind: 'misplaced' };
    }
    // HEAD: the window's first index. TAIL: the distance of the window's last row from the last row.
    let at: { space: 'head'; start: number } | { space: 'tail'; lastDistance: number };
    let atEnd: boolean;
    if (plan.space === 'head') {
      let start: number;
      if (plan.direction === 'forward') {
        start = (plan.anchor ? plan.anchor.pos + 1 : 0) + plan.offset;
        atEnd = !more;
        if (atEnd) this.setExact(start + n);
        else this.growTo(start + n + 1);
      } else {
        // From an anchor after the window, or from the last row when the total is exact.
        const after = plan.anchor ? plan.anchor.pos : this.total.rows!;
        start = after - plan.offset - n;
        atEnd = plan.anchor === null ? plan.offset === 0 : this.total.exact && start + n >= this.total.rows!;
        if (!more && start !== 0) {
          // Met the first row elsewhere than the positions said: rows came or went since. Count from here again.
          this.drift('head');
          if (plan.anchor === null) this.setExact(plan.offset + n);
          start = 0;
        }
      }
      at = { space: 'head', start };
    } else if (plan.direction === 'backward') {
      const lastDistance = (plan.anchor ? plan.anchor.pos + 1 : 0) + plan.offset;
      atEnd = lastDistance === 0;
      // Met the first row: now the total is known.
      if (!more) this.setExact(lastDistance + n);
      at = { space: 'tail', lastDistance };
    } else {
      let lastDistance = plan.anchor!.pos - plan.offset - n;
      atEnd = !more;
      if (atEnd && lastDistance !== 0) {
        this.drift('tail');
        lastDistance = 0;
      }
      at = { space: 'tail', lastDistance };
    }
    if (at.space === 'tail') this.tieSpaces(rows, 'tail', at.lastDistance, identity);
    else this.tieSpaces(rows, 'head', at.start, identity);
    let start: number;
    let space: Space;
    if (at.space === 'head') {
      start = at.start;
      space = 'head';
    } else {
      start = (this.total.rows ?? at.lastDistance + n) - at.lastDistance - n;
      space = this.total.exact ? 'head' : 'tail';
    }
    this.joinIsland(placedRows(rows, start, next, plan.direction), space, identity);
    this.remember(rows, start, space, identity);
    return { kind: 'placed', window: { rows, start, startExact: space === 'head', atEnd, placement: this.placement } };
  }

  /**
   * A read from an island anchor: placed in the island, unless it meets the first or last row, or a row known
   * in the head or tail space, which places the whole island there. Null when it covers a row known exactly
   * to be elsewhere: the island is misplaced by an unknown amount, and is dropped.
   */
  private placeInIsland(plan: ReadPlan, rows: CellValue[][], next: CellValue[] | null, identity: RowIdentity): PlacedWindow | null {
    const anchor = plan.anchor!;
    const n = rows.length;
    const forward = plan.direction === 'forward';
    const more = next !== null;
    let start = forward ? anchor.pos + 1 + plan.offset : anchor.pos - plan.offset - n;
    // A read from an island a newer jump replaced: right relative to that island, and not remembered.
    if (anchor.island !== this.island) return { rows, start, startExact: false, atEnd: forward && !more, placement: this.placement };
    let space: Space = 'jump';
    if (!more && !forward) {
      // Met the first row.
      this.rebaseIsland(start, 'head', 0);
      start = 0;
      space = 'head';
    } else if (!more) {
      const last = start + n - 1;
      if (this.total.exact) {
        this.rebaseIsland(last, 'head', this.total.rows! - 1);
        start = this.total.rows! - n;
        space = 'head';
      } else {
        // Met the last row while the total is a guess: the island's guess becomes the total's, so the rows shown
        // stay where they are.
        this.setTotal({ rows: last + 1, exact: false });
        this.rebaseIsland(last, 'tail', 0);
        space = 'tail';
      }
    } else {
      const placed = placedRows(rows, start, next, plan.direction);
      for (const { row, at } of placed) {
        const known = this.head.get(identity(row).id) ?? this.tail.get(identity(row).id);
        if (!known) continue;
        this.rebaseIsland(at, known.space, known.pos);
        space = known.space;
        start = (known.space === 'head' ? known.pos : this.total.rows! - 1 - known.pos) - (at - start);
        break;
      }
      if (space === 'jump' && this.covers(this.head, placed)) {
        this.dropIsland();
        return null;
      }
    }
    this.remember(rows, start, space, identity);
    return { rows, start, startExact: space === 'head', atEnd: forward && !more, placement: this.placement };
  }

  /** Island rows in a head or tail window place the island in that space; an exact window over island positions drops it. */
  private joinIsland(placed: PlacedRow[], space: Space, identity: RowIdentity): void {
    if (this.jump.size === 0) return;
    for (const { row, at } of placed) {
      const seen = this.jump.get(identity(row).id);
      if (!seen) continue;
      this.rebaseIsland(seen.pos, space, space === 'head' ? at : this.total.rows! - 1 - at);
      return;
    }
    if (space === 'head' && this.covers(this.jump, placed)) this.dropIsland();
  }

  /** Whether an anchor of `anchors` is at a position of `placed` (whose rows are not that anchor's). */
  private covers(anchors: Map<string, Anchor>, placed: PlacedRow[]): boolean {
    if (placed.length === 0) return false;
    const first = Math.min(placed[0]!.at, placed[placed.length - 1]!.at);
    const last = Math.max(placed[0]!.at, placed[placed.length - 1]!.at);
    for (const anchor of anchors.values()) if (anchor.pos >= first && anchor.pos <= last) return true;
    return false;
  }

  /** The island's guess proved wrong by an amount not known: its rows are read again from exact anchors. */
  private dropIsland(): void {
    this.jump.clear();
    this.placement++;
  }

  /** The island's row at `islandPos` is at `pos` in `space`: every island anchor moves there. */
  private rebaseIsland(islandPos: number, space: Space, pos: number): void {
    const own = space === 'head' ? this.head : this.tail;
    if ((space === 'head' ? pos : this.total.rows! - 1 - pos) !== islandPos) this.placement++;
    for (const anchor of this.jump.values()) {
      const moved = space === 'head' ? pos + (anchor.pos - islandPos) : pos + (islandPos - anchor.pos);
      if (moved >= 0) own.set(anchor.id, { space, pos: moved, values: anchor.values, id: anchor.id });
    }
    this.jump.clear();
  }

  /**
   * A far jump placed approximately: `values` are the order values of a row guessed to be at index `pos`, just
   * before a window of `count` rows. It starts a new island; the next plan near `pos` reads from it. Refused
   * (false) where a row is known exactly: the window is read exactly from there.
   */
  pin(pos: number, count: number, values: CellValue[], id: string): boolean {
    if (!this.options.anchors) return false;
    for (const anchor of this.head.values()) if (anchor.pos >= pos && anchor.pos <= pos + count + 1) return false;
    this.jump.clear();
    this.island++;
    this.jump.set(id, { space: 'jump', pos, values, id, island: this.island });
    return true;
  }

  /**
   * A row of a head-space window already known in the tail space (or the other way round) ties the two
   * together: its index plus its distance from the end, plus one, is the total.
   */
  private tieSpaces(rows: CellValue[][], space: Space, at: number, identity: RowIdentity): void {
    if (!this.options.anchors || this.total.exact) return;
    const other = space === 'head' ? this.tail : this.head;
    if (other.size === 0) return;
    for (let i = 0; i < rows.length; i++) {
      const seen = other.get(identity(rows[i]!).id);
      if (!seen) continue;
      const index = space === 'head' ? at + i : seen.pos;
      const distance = space === 'head' ? seen.pos : at + (rows.length - 1 - i);
      this.setExact(index + distance + 1);
      return;
    }
  }

  /**
   * Remembers the row a seek found: the one just before `plan`'s window in its read direction (the row
   * `plan.offset - 1` places from its anchor or end). The next plan of that window reads from it, skipping nothing.
   */
  seeded(plan: ReadPlan, values: CellValue[], id: string): void {
    if (!this.options.anchors || plan.offset < 1) return;
    if (plan.space === 'jump' && plan.anchor!.island !== this.island) return;
    const skip = plan.offset - 1;
    let pos: number;
    if (plan.space !== 'tail') {
      if (plan.direction === 'forward') pos = (plan.anchor ? plan.anchor.pos + 1 : 0) + skip;
      else pos = (plan.anchor ? plan.anchor.pos : this.total.rows!) - 1 - skip;
    } else if (plan.direction === 'backward') {
      pos = (plan.anchor ? plan.anchor.pos + 1 : 0) + skip;
    } else {
      pos = plan.anchor!.pos - 1 - skip;
    }
    if (pos < 0) return;
    this.keep({ space: plan.space, pos, values, id });
  }

  /** The rows were counted (or the end was met): the spaces merge. */
  setExact(total: number): void {
    this.setTotal({ rows: total, exact: true });
    for (const anchor of this.tail.values()) {
      const pos = total - 1 - anchor.pos;
      if (pos >= 0) this.head.set(anchor.id, { ...anchor, space: 'head', pos });
    }
    this.tail.clear();
  }

  /** A head read found rows past the estimated end: the estimate grows to what is known to exist. */
  private growTo(atLeast: number): void {
    if (this.total.rows === null || this.total.rows < atLeast) this.setTotal({ rows: atLeast, exact: false });
  }

  /** Rows placed from the end are shown at `total - 1 - distance`: a new total moves them. */
  private setTotal(total: RowTotal): void {
    if (this.tail.size > 0 && total.rows !== this.total.rows) this.placement++;
    this.total = total;
  }

  private drift(space: Space): void {
    (space === 'head' ? this.head : this.tail).clear();
    this.total = { ...this.total, exact: false };
    this.placement++;
  }

  /** The window's first and last rows become anchors: the next window down or up reads from one of them. */
  private remember(rows: CellValue[][], start: number, space: Space, identity: RowIdentity): void {
    if (!this.options.anchors || rows.length === 0) return;
    const edges: [CellValue[], number][] = [[rows[0]!, start]];
    if (rows.length > 1) edges.push([rows[rows.length - 1]!, start + rows.length - 1]);
    for (const [row, shownAt] of edges) {
      const { values, id } = identity(row);
      if (sizeOf(values) > this.maxAnchorChars) continue;
      this.keep({ space, pos: space === 'tail' ? (this.total.rows ?? 0) - 1 - shownAt : shownAt, values, id });
    }
    while (this.anchorCount > this.maxAnchors) {
      const from = [this.head, this.tail, this.jump].reduce((a, b) => (b.size > a.size ? b : a));
      const oldest = from.keys().next().value;
      if (oldest === undefined) break;
      from.delete(oldest);
    }
  }

  /** Keeps an anchor as the newest of its space (an island anchor in the current island). */
  private keep(anchor: Omit<Anchor, 'island'>): void {
    const own = anchor.space === 'head' ? this.head : anchor.space === 'tail' ? this.tail : this.jump;
    own.delete(anchor.id);
    own.set(anchor.id, anchor.space === 'jump' ? { ...anchor, island: this.island } : anchor);
  }
}

interface PlacedRow {
  row: CellValue[];
  at: number;
}

/** The window's rows at their positions, and the row after them in the read direction (before them, reading backward). */
function placedRows(rows: CellValue[][], start: number, next: CellValue[] | null, direction: ReadPlan['direction']): PlacedRow[] {
  const placed = rows.map((row, i) => ({ row, at: start + i }));
  if (next && direction === 'forward') placed.push({ row: next, at: start + rows.length });
  if (next && direction === 'backward') placed.unshift({ row: next, at: start - 1 });
  return placed;
}

function sizeOf(values: CellValue[]): number {
  let size = 0;
  for (const v of values) size += v === null ? 0 : typeof v === 'string' ? v.length : v.hex.length;
  return size;
}
