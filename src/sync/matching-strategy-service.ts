import type { CreateStrategyRequest, Strategy, UpdateStrategyRequest } from '../contracts/index.js';
import type { AuditLog, MatchingStrategy, MatchingStrategyRepository } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';

interface Actor {
  readonly user?: { readonly id: string };
}

/** The organisation's lead matching strategies (seed 001), with every change audited. */
export class MatchingStrategyService {
  constructor(private readonly deps: { strategies: MatchingStrategyRepository; audit: AuditLog }) {}

  async list(): Promise<Strategy[]> {
    await this.deps.strategies.active(); // creates the default on first use
    return (await this.deps.strategies.list()).map(view);
  }

  async create(request: CreateStrategyRequest, actor: Actor): Promise<Strategy> {
    const strategy = await this.deps.strategies.create(request);
    await this.audit(actor, 'matching_strategy.create', strategy);
    return view(strategy);
  }

  async update(id: string, request: UpdateStrategyRequest, actor: Actor): Promise<Strategy> {
    await this.require(id);
    const strategy = await this.deps.strategies.update(id, {
      ...(request.name !== undefined && { name: request.name }),
      ...(request.pairs !== undefined && { pairs: request.pairs }),
    });
    await this.audit(actor, 'matching_strategy.update', strategy);
    return view(strategy);
  }

  async activate(id: string, actor: Actor): Promise<Strategy> {
    await this.require(id);
    const strategy = await this.deps.strategies.activate(id);
    await this.audit(actor, 'matching_strategy.activate', strategy);
    return view(strategy);
  }

  async delete(id: string, actor: Actor): Promise<void> {
    const strategy = await this.require(id);
    await this.deps.strategies.delete(id);
    await this.audit(actor, 'matching_strategy.delete', strategy);
  }

  private async require(id: string): Promise<MatchingStrategy> {
    const strategy = await this.deps.strategies.get(id);
    if (!strategy) throw new LeadbridgeError('not_found', `There is no matching strategy ${id}.`);
    return strategy;
  }

  private async audit(actor: Actor, action: string, strategy: MatchingStrategy): Promise<void> {
    await this.deps.audit.append({
      ...(actor.user && { actorUserId: actor.user.id }),
      action,
      subject: strategy.id,
      details: { name: strategy.name },
    });
  }
}

function view(strategy: MatchingStrategy): Strategy {
  return { ...strategy, pairs: strategy.pairs.map((pair) => ({ ...pair })) };
}
