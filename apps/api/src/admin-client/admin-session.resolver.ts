import { Inject } from '@nestjs/common';
import { Args, Field, Float, GraphQLISODateTime, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { DateTime, Duration } from 'luxon';
import { CLOCK, type Clock, ValidationError, dateOfInstant, instantProblem } from '@oksio/kernel';
import { type CommandContext, Ctx, ForbiddenError, RUNTIME, Roles, type Runtime, NoAggregateRevision } from '@oksio/platform';
import { clockTarget } from '../admin/clock-target';

@ObjectType('AdminSession', { description: 'Who is calling and what the server clock says (admin client)' })
class AdminSessionType {
  @Field({ description: 'Name of the API key holder (actor id in event metadata)' }) actorId: string;
  @Field() role: string;
  @Field() environment: string;
  @Field(() => GraphQLISODateTime, { description: 'Business time now (the test clock when enabled)' }) now: Date;
  @Field({ description: 'Time travel through the test clock is possible (never in production)' }) testClockEnabled: boolean;
  @Field({ description: 'The test clock is frozen: business time does not move' }) clockFrozen: boolean;
}

@ObjectType('TestClock')
class TestClockType {
  @Field(() => GraphQLISODateTime) now: Date;
  @Field() frozen: boolean;
  @Field(() => Float, { description: 'Business time minus wall-clock time, in milliseconds' }) offsetMs: number;
}

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** The admin client's session and test clock over GraphQL (the REST twin is /admin/clock). */
@Resolver()
export class AdminSessionResolver {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Query(() => AdminSessionType, { description: "The caller's identity and role, and the server's business time" })
  @Roles('system', 'support', 'auditor', 'admin')
  async adminSession(@Ctx() ctx: CommandContext): Promise<AdminSessionType> {
    // The stored setting is the truth (the cached flag outlives a reset of the clock).
    const frozen = this.runtime.testClock
      ? ((await this.runtime.pool.query<{ frozen: boolean }>('SELECT frozen FROM test_clock WHERE id = 1')).rows[0]?.frozen ?? false)
      : false;
    return {
      actorId: ctx.actor.id,
      role: ctx.actor.role,
      environment: this.runtime.config.environment,
      now: this.clock.now(),
      testClockEnabled: this.runtime.testClock !== null,
      clockFrozen: frozen,
    };
  }

  @Mutation(() => TestClockType, { description: 'Set (instant, with an offset) or advance (ISO-8601 duration) the test clock, never before the newest recorded event; admin; refused in production' })
  @Roles('admin')
  @NoAggregateRevision('the test clock is not an event-sourced aggregate')
  async setTestClock(
    @Args('instant', { type: () => String, nullable: true }) instant: string | null,
    @Args('advance', { type: () => String, nullable: true }) advance: string | null,
    @Args('frozen', { type: () => Boolean, nullable: true, defaultValue: true }) frozen: boolean,
  ): Promise<TestClockType> {
    const clock = this.runtime.testClock;
    if (!clock) {
      throw new ForbiddenError('test_clock_disabled', `The test clock is disabled (${this.runtime.config.environment}, CLOCK=${this.runtime.config.clock})`);
    }
    if ((instant ? 1 : 0) + (advance ? 1 : 0) !== 1) {
      throw new ValidationError('validation_failed', 'Give either instant or advance', [{ field: instant ? 'advance' : 'instant', message: 'exactly one of instant or advance' }]);
    }
    let target: Date;
    if (advance) {
      if (!DURATION.test(advance)) {
        throw new ValidationError('validation_failed', 'advance must be an ISO-8601 duration such as P1M or PT4H', [{ field: 'advance', message: 'ISO-8601 duration expected' }]);
      }
      // Months and years follow the Paris calendar, as POST /admin/clock does.
      target = DateTime.fromJSDate(clock.now(), { zone: 'Europe/Paris' }).plus(Duration.fromISO(advance)).toJSDate();
    } else {
      // The same grammar as every instant of the API (REST's @IsInstant): an offset, no rollover.
      const problem = instantProblem(instant);
      if (problem) throw new ValidationError('validation_failed', `instant ${problem}`, [{ field: 'instant', message: problem }]);
      target = dateOfInstant(instant!);
    }
    await clock.set(await clockTarget(target, advance ? 'advance' : 'instant', this.runtime), frozen ?? true);
    const state = clock.state();
    return { now: new Date(state.now), frozen: state.frozen, offsetMs: state.offsetMs };
  }
}
