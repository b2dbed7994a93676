/**
 * The Office.js request model, simulated: proxy objects queue commands, `context.sync()` runs them in order, and
 * only then are loaded properties readable. Like Excel it refuses to read a property that was not loaded (or
 * before the sync), refuses a request over 5 MB (RequestPayloadSizeLimitExceeded) or a response over 5 MB
 * (ResponsePayloadSizeLimitExceeded; a refused request changes nothing), stops a batch at the first failing
 * command (the earlier ones stay applied), refuses members of a requirement set the run may not use (ApiNotFound,
 * see index.ts), and counts round trips.
 */
import { SimulatorError, type SimWorkbookState } from "./model.js";

/**
 * Microsoft gives Excel on the web's request and response limit as "5 MB"
 * (https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization): read as
 * 5,000,000 bytes, the stricter of 5 MB and 5 MiB, so the simulator never accepts what Excel may refuse.
 */
export const PAYLOAD_LIMIT_BYTES = 5_000_000;

export interface SimStats {
  syncs: number;
  /** Syncs Excel held back until the user left cell-edit mode (the run asked it to wait). */
  delayedForCellEdit: number;
  /** Undo records the syncs made: one per sync, or one per Excel.run that merged them (mergeUndoGroup). */
  undoSteps: number;
  /** Request bytes of every sync, in order. */
  requests: number[];
  /** Response bytes of every sync Excel answered. */
  responses: number[];
  /** Syncs refused for their size (request or response over 5 MB). */
  refused: number;
  /** Times a member without undo support on this platform ran outside an undo group and cleared the undo stack. */
  undoCleared: number;
}

/** What the simulator does with one sync, decided as it starts (index.ts): refuse it, cut it part way, or lose its answer. */
export interface SyncPlan {
  /** Run only this many of the batch's commands, then fail with `error` (a cut that ran partly). */
  stopAfter?: number;
  /** Run the whole batch, then fail with `error` (the request arrived, the response was lost). */
  loseResponse?: boolean;
  error?: Error;
}

/** What a context asks of the simulator around each sync and member (index.ts implements it). */
export interface SimHooks {
  /** Called as a sync starts, before anything runs; throws to refuse the whole sync, or says how to cut it. */
  beforeSync(context: SimContext, commands: number): SyncPlan | void;
  /** Called after a sync's commands ran (a second writer's edits between syncs go here). */
  afterSync?(context: SimContext): void;
  /** Throws ApiNotFound when `member` ("Range.copyFrom") is above what this run may use. */
  checkApi(member: string): void;
  /** Request and response limit in bytes on this platform (5 MB on the web; none documented elsewhere). */
  payloadLimit?(): number;
  /** Whether `member` ("Worksheet.position") supports undo on this platform. */
  undoable?(member: string): boolean;
  /** An undo record is about to start (the simulator keeps what to restore when it keeps an undo stack). */
  undoRecord?(): void;
  /** A member without undo support ran outside a group: the user's undo stack is cleared. */
  undoCleared?(): void;
}

interface Op {
  /** undefined for the simulator's own checks, which are not part of the request. */
  describe: unknown;
  /** The member it uses ("Worksheet.position"), for the undo rules. */
  member?: string;
  run: () => { bytes: number; commit: () => void } | void;
}

export interface PropDef<E> {
  get?: (entity: E) => unknown;
  set?: (entity: E, value: unknown) => void;
}

export interface ObjectDef<E> {
  kind: string;
  props?: Record<string, PropDef<E>>;
  /** Child objects (format, fill, tables, …), created from their parent proxy. */
  nav?: Record<string, (parent: Client<E>) => unknown>;
  /** Methods; queue commands with `self.queue` or return new proxies. */
  methods?: Record<string, (self: Client<E>, ...args: any[]) => unknown>;
  /** For collections: the entities `items` holds, and how each item is described. */
  collection?: {
    items: (entity: E) => object[];
    itemDef: ObjectDef<any>;
    itemPath: (item: any, index: number) => string;
  };
}

const CLIENT = Symbol("simulator client");

/** Commands about calculation itself, which change no cell. */
const CALCULATION_COMMANDS = new Set(["suspendApiCalculationUntilNextSync", "calculate"]);

/** Property names JavaScript itself probes on objects (await, inspection); never simulator members. */
const IGNORED = new Set([
  "then",
  "constructor",
  "toString",
  "valueOf",
  "inspect",
  "asymmetricMatch",
  "nodeType",
  "$$typeof",
  "@@__IMMUTABLE_ITERABLE__@@",
]);

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? (i++, 4) : 3;
  }
  return bytes;
}

/**
 * Remember the contents of every object, array and Map reachable from `root`; the returned function puts them back
 * in place. Restoring in place (not swapping in a copy) keeps the identity of entities proxies are already bound to.
 */
export function snapshot(roots: object[]): () => void {
  const restores: (() => void)[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Map) {
      const entries = [...value.entries()];
      restores.push(() => {
        value.clear();
        for (const [k, v] of entries) value.set(k, v);
      });
      for (const [k, v] of entries) (visit(k), visit(v));
    } else if (Array.isArray(value)) {
      const items = value.slice();
      restores.push(() => {
        value.length = 0;
        for (const item of items) value.push(item);
      });
      for (const item of items) visit(item);
    } else {
      const record = value as Record<string, unknown>;
      const fields = { ...record };
      restores.push(() => {
        for (const key of Object.keys(record)) if (!(key in fields)) delete record[key];
        Object.assign(record, fields);
      });
      for (const field of Object.values(fields)) visit(field);
    }
  };
  for (const root of roots) visit(root);
  return () => restores.forEach((restore) => restore());
}

/** JSON for the payload estimate: proxies passed as arguments travel as their object path. */
function describeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && (v as { [CLIENT]?: Client<unknown> })[CLIENT]
      ? { path: (v as { [CLIENT]: Client<unknown> })[CLIENT].path }
      : v,
  );
}

export class SimContext {
  private pending: Op[] = [];
  /** Proxies first bound to an entity during the running sync; unbound again if the sync is refused. */
  private boundThisSync: { unbind: () => void }[] = [];
  /** Where queued `add` commands leave what they created, emptied again if their sync is refused. */
  private holders: object[] = [];
  syncCount = 0;
  readonly workbook: any;
  /** Calculation suspended (suspendApiCalculationUntilNextSync) for the sync that is running. */
  calculationSuspended = false;
  private undoRecorded = false;

  constructor(
    readonly state: SimWorkbookState,
    readonly stats: SimStats,
    workbookFactory: (context: SimContext) => unknown,
    readonly hooks?: SimHooks,
    readonly runOptions: { delayForCellEdit?: boolean; mergeUndoGroup?: boolean } = {},
  ) {
    this.workbook = workbookFactory(this);
  }

  /** Queue a check that `member` may be used (it runs in order, so the batch stops there as in Excel). */
  gate(member: string): void {
    const hooks = this.hooks;
    if (hooks) this.pending.push({ describe: undefined, run: () => hooks.checkApi(member) });
  }

  /** Whether a request is queued (the simulator's own member checks ride with requests; alone they are none). */
  get hasPending(): boolean {
    return this.pending.some((op) => op.describe !== undefined);
  }

  /** Commands queued (the request's size in commands), not counting the simulator's own checks. */
  get pendingCount(): number {
    return this.pending.filter((op) => op.describe !== undefined).length;
  }

  noteBound(client: { unbind: () => void }): void {
    this.boundThisSync.push(client);
  }

  track<H extends object>(holder: H): H {
    this.holders.push(holder);
    return holder;
  }

  queue(describe: unknown, run: Op["run"], member?: string): void {
    this.pending.push({ describe, run, member });
  }

  async sync<T>(passThroughValue?: T): Promise<T> {
    await Promise.resolve();
    this.syncCount++;
    this.stats.syncs++;
    const ops = this.pending;
    const holders = this.holders;
    this.pending = [];
    this.holders = [];
    const requestBytes = utf8Bytes(
      describeJson(ops.filter((op) => op.describe !== undefined).map((op) => op.describe)),
    );
    let plan: SyncPlan | void;
    try {
      plan = this.hooks?.beforeSync(this, ops.filter((op) => op.describe !== undefined).length);
    } catch (error) {
      this.stats.requests.push(requestBytes);
      throw error;
    }
    this.calculationSuspended = false;
    this.stats.requests.push(requestBytes);
    const limit = this.hooks?.payloadLimit?.() ?? PAYLOAD_LIMIT_BYTES;
    if (requestBytes > limit) {
      this.stats.refused++;
      throw new SimulatorError(
        "RequestPayloadSizeLimitExceeded",
        `The request payload size (${requestBytes} bytes) has exceeded the limit of 5 MB.`,
      );
    }
    // The response size is known only after the commands ran, and a refused request must change nothing. Only
    // loads answer with data and loads change nothing, so only a batch holding both loads and writes is saved.
    const isLoad = (op: Op) => (op.describe as { load?: unknown } | undefined)?.load !== undefined;
    const isWrite = (op: Op) => op.describe !== undefined && !isLoad(op);
    const restore = ops.some(isLoad) && ops.some(isWrite) ? snapshot([this.state, ...holders]) : undefined;
    this.boundThisSync = [];
    let responseBytes = 0;
    const commits: (() => void)[] = [];
    const calculation = this.state.calculation;
    const merged = !!this.runOptions.mergeUndoGroup;
    // One undo record per sync that writes, or one per run that merges them (opened by its first writing sync).
    if (ops.some(isWrite) && (!merged || !this.undoRecorded)) this.hooks?.undoRecord?.();
    let ran = 0;
    for (const op of ops) {
      if (op.describe !== undefined) {
        if (plan?.stopAfter !== undefined && ran >= plan.stopAfter) throw plan.error;
        ran++;
      }
      if (op.member && isWrite(op) && this.hooks?.undoable && !this.hooks.undoable(op.member)) {
        // Microsoft's undo page: in a group, such a member throws UndoNotSupported; outside one it clears the stack.
        if (merged)
          throw new SimulatorError(
            "UndoNotSupported",
            `${op.member} does not support undo on this platform, so it cannot be part of an undo group.`,
          );
        this.stats.undoCleared++;
        this.hooks.undoCleared?.();
      }
      const result = op.run();
      if (result) {
        responseBytes += result.bytes;
        commits.push(result.commit);
      }
      // A write while calculation is suspended (or manual) leaves formulas stale until application.calculate.
      if (
        isWrite(op) &&
        (this.calculationSuspended || calculation.mode === "Manual") &&
        !CALCULATION_COMMANDS.has((op.describe as { m?: string }).m ?? "")
      )
        calculation.stale = true;
    }
    if (responseBytes > limit) {
      restore?.();
      // Entities created by the refused commands are gone again; proxies must look them up afresh.
      for (const client of this.boundThisSync) client.unbind();
      this.stats.refused++;
      throw new SimulatorError(
        "ResponsePayloadSizeLimitExceeded",
        `The response payload size (${responseBytes} bytes) has exceeded the limit of 5 MB.`,
      );
    }
    this.stats.responses.push(responseBytes);
    if (ops.some(isWrite) && (!this.runOptions.mergeUndoGroup || !this.undoRecorded)) {
      this.stats.undoSteps++;
      this.undoRecorded = true;
    }
    for (const commit of commits) commit();
    if (plan?.loseResponse) throw plan.error;
    this.hooks?.afterSync?.(this);
    return passThroughValue as T;
  }
}

export class Client<E> {
  readonly loaded = new Map<string, unknown>();
  private readonly children = new Map<string, unknown>();
  private readonly itemProxies = new Map<object, unknown>();
  private cached: { entity: E | undefined } | undefined;
  readonly proxy: any;

  constructor(
    readonly context: SimContext,
    readonly path: string,
    private readonly resolver: () => E | undefined,
    readonly def: ObjectDef<E>,
    readonly nullable = false,
  ) {
    this.proxy = new Proxy(this, HANDLER);
  }

  /** The entity, resolved once at the first sync that needs it (like Excel binding a proxy to an object id). */
  resolve(): E | undefined {
    if (!this.cached) {
      const entity = this.resolver();
      // A null object stays null, but a lookup that failed before its item was added may be retried.
      if (entity === undefined && !this.nullable) return undefined;
      this.cached = { entity };
      this.context.noteBound(this);
    }
    return this.cached.entity;
  }

  unbind(): void {
    this.cached = undefined;
  }

  entity(): E {
    const entity = this.resolve();
    if (entity === undefined)
      throw this.nullable
        ? new SimulatorError("InvalidOperation", `${this.path} is a null object: check isNullObject before using it.`)
        : new SimulatorError("ItemNotFound", `The requested resource doesn't exist (${this.path}).`);
    return entity;
  }

  /** Queue a command against this object's entity. */
  queue(name: string, args: unknown[], apply: (entity: E) => unknown): void {
    this.context.queue(
      { p: this.path, m: name, a: args },
      () => {
        apply(this.entity());
      },
      `${this.def.kind}.${name}`,
    );
  }

  child(name: string, def: ObjectDef<any>, resolve: () => unknown, nullable = false): any {
    const existing = this.children.get(name);
    if (existing) return existing;
    const created = new Client(this.context, `${this.path}.${name}`, resolve, def, nullable).proxy;
    this.children.set(name, created);
    return created;
  }

  read(name: string): unknown {
    if (!this.loaded.has(name))
      throw new SimulatorError(
        "PropertyNotLoaded",
        `The property '${name}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context (${this.path}).`,
      );
    return this.loaded.get(name);
  }

  load(spec?: unknown): any {
    const paths = parseLoad(spec);
    this.context.queue({ p: this.path, load: paths }, () => {
      const entity = this.resolve();
      if (entity === undefined) {
        if (!this.nullable)
          throw new SimulatorError("ItemNotFound", `The requested resource doesn't exist (${this.path}).`);
        return { bytes: 24, commit: () => this.loaded.set("isNullObject", true) };
      }
      const commits: (() => void)[] = [];
      let bytes = 0;
      const list = paths.length ? paths : this.scalarNames().map((n) => [n]);
      for (const path of list) bytes += this.loadPath(entity, path, commits);
      if (this.nullable) commits.push(() => this.loaded.set("isNullObject", false));
      return { bytes, commit: () => commits.forEach((c) => c()) };
    });
    return this.proxy;
  }

  private scalarNames(): string[] {
    if (this.def.collection) return ["items"];
    return Object.entries(this.def.props ?? {})
      .filter(([, p]) => p.get)
      .map(([n]) => n);
  }

  /** Load one path ("name", "items/name", "format/fill/color") from `entity`; returns the response bytes. */
  loadPath(entity: E, path: string[], commits: (() => void)[]): number {
    const [first, ...rest] = path;
    if (first === undefined) {
      let bytes = 0;
      for (const name of this.scalarNames()) bytes += this.loadPath(entity, [name], commits);
      return bytes;
    }
    if (first === "items" && this.def.collection) {
      const collection = this.def.collection;
      const entities = collection.items(entity);
      let bytes = 2;
      const proxies = entities.map((item, index) => {
        let proxy = this.itemProxies.get(item);
        if (!proxy) {
          proxy = new Client(this.context, collection.itemPath(item, index), () => item, collection.itemDef).proxy;
          this.itemProxies.set(item, proxy);
        }
        const client = (proxy as { [CLIENT]: Client<object> })[CLIENT];
        bytes += client.loadPath(item, rest, commits);
        return proxy;
      });
      commits.push(() => this.loaded.set("items", proxies));
      return bytes;
    }
    const prop = this.def.props?.[first];
    this.context.hooks?.checkApi(`${this.def.kind}.${first}`);
    if (prop?.get && rest.length === 0) {
      const value = prop.get(entity);
      commits.push(() => this.loaded.set(first, value));
      return utf8Bytes(JSON.stringify(value) ?? "null") + first.length + 4;
    }
    const nav = this.def.nav?.[first];
    if (nav) {
      const childProxy = nav(this) as { [CLIENT]: Client<unknown> };
      const child = childProxy[CLIENT];
      return child.loadPath(child.entity(), rest, commits);
    }
    throw new SimulatorError("InvalidArgument", `${this.def.kind} has no property "${first}" to load.`);
  }
}

function parseLoad(spec: unknown): string[][] {
  if (spec === undefined || spec === null) return [];
  let names: string[];
  if (typeof spec === "string") names = spec.split(",");
  else if (Array.isArray(spec)) names = spec.map(String);
  else if (typeof spec === "object" && typeof (spec as { select?: unknown }).select === "string")
    names = (spec as { select: string }).select.split(",");
  else
    throw new SimulatorError(
      "InvalidArgument",
      "The simulator loads property names given as a string, an array or { select }.",
    );
  return names
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => n.split("/").map((s) => s.trim()));
}

const HANDLER: ProxyHandler<Client<any>> = {
  get(client, prop) {
    if (prop === CLIENT) return client;
    if (typeof prop === "symbol" || IGNORED.has(prop)) return undefined;
    const def = client.def;
    switch (prop) {
      case "context":
        return client.context;
      case "load":
        return (spec?: unknown) => client.load(spec);
      case "isNullObject":
        return client.read("isNullObject");
      case "toJSON":
        return () => Object.fromEntries(client.loaded);
      case "items":
        if (def.collection) return client.read("items");
    }
    if (def.props?.[prop]) {
      if (!def.props[prop]!.get) throw new SimulatorError("InvalidArgument", `${def.kind}.${prop} cannot be read.`);
      return client.read(prop);
    }
    if (def.nav?.[prop]) {
      client.context.gate(`${def.kind}.${prop}`);
      return def.nav[prop]!(client);
    }
    const method = def.methods?.[prop];
    if (method)
      return (...args: unknown[]) => {
        client.context.gate(`${def.kind}.${prop}`);
        return method(client, ...args);
      };
    throw new TypeError(`The Excel simulator has no ${def.kind}.${prop}.`);
  },
  set(client, prop, value) {
    if (typeof prop === "symbol") return false;
    const setter = client.def.props?.[prop]?.set;
    if (!setter) throw new TypeError(`The Excel simulator cannot set ${client.def.kind}.${prop}.`);
    client.context.gate(`${client.def.kind}.${prop}`);
    client.context.queue(
      { p: client.path, s: prop, v: value },
      () => {
        setter(client.entity(), value);
      },
      `${client.def.kind}.${prop}`,
    );
    return true;
  },
};

/** The client behind a proxy passed back in as an argument (a Range given to charts.add, freezeAt, names.add). */
export function clientOf<E>(value: unknown): Client<E> | undefined {
  return value && typeof value === "object" ? ((value as { [CLIENT]?: Client<E> })[CLIENT] ?? undefined) : undefined;
}

export function makeObject<E>(
  context: SimContext,
  path: string,
  resolve: () => E | undefined,
  def: ObjectDef<E>,
  nullable = false,
): any {
  return new Client(context, path, resolve, def, nullable).proxy;
}
