import type {} from '@fastify/swagger'; // its FastifySchema augmentation: tags, summary
import Type from 'typebox';
import { INDICATOR_KINDS } from '../modules/indicators/index.js';
import { VERDICT_LEVELS } from '../modules/verdicts/verdict.types.js';
import { Patterned } from './validation-messages.js';

/** Response schemas: they document the API (OpenAPI) and let Fastify serialize answers fast. */
export const Label = Type.Object({ en: Type.String(), 'zh-Hant': Type.String() });

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable code: see docs/errors.md' }),
    message: Type.String(),
    reason: Type.Optional(Type.String({ description: 'Finer cause within the code, e.g. TOO_SHORT for INVALID_PHONE' })),
    requestId: Type.Optional(Type.String({ description: 'With INTERNAL only: quote it to trace the failure' })),
    rows: Type.Optional(
      Type.Array(Type.Object({ line: Type.Integer(), code: Type.String(), message: Type.String() }), { description: 'With INVALID_SENDER_REGISTRY only: each bad row of the file, by line' }),
    ),
  }),
});

export const Kind = Type.Enum(INDICATOR_KINDS);

/** A report's reference, as `SG-XXXX-XXXX-XXXX`. */
export const ReportReference = Patterned('^SG-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$', 'a report reference such as SG-7K2M-Q9XD-4HPA');
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const Level = Type.Enum(VERDICT_LEVELS);

export const Reason = Type.Object({
  code: Type.String({ description: 'Stable reason code, e.g. REPORTS_HIGH_RISK' }),
  message: Label,
  covers: Type.Optional(Type.String()),
  count: Type.Optional(Type.Integer()),
  source: Type.Optional(Type.String()),
  since: Type.Optional(Type.String()),
});

export const Verdict = Type.Object({
  level: Level,
  headline: Label,
  reasons: Type.Array(Reason),
  reportCount: Type.Integer({ description: 'Reporters behind the evidence. Public answers round it down to 1, 2, 5, 10, 20, 50, …; officers get the exact count.' }),
  firstSeen: Type.Union([Type.String(), Type.Null()], { description: 'A day (YYYY-MM-DD) in public answers; the exact time for officers.' }),
  lastSeen: Type.Union([Type.String(), Type.Null()]),
  updated: Type.Union([Type.String(), Type.Null()], { description: 'When the evidence behind the verdict last changed: a report, a listing, a decision.' }),
  scamTypes: Type.Array(Type.String()),
  advice: Type.Object({ en: Type.Array(Type.String()), 'zh-Hant': Type.Array(Type.String()) }),
});

export const Lookalike = Type.Object({
  protected: Type.String(),
  kind: Type.String(),
  score: Type.Number(),
  reasons: Type.Array(Type.Object({ code: Type.String(), detail: Type.String() })),
});

export const CheckResult = Type.Object({
  input: Type.String(),
  kind: Kind,
  canonical: Type.String(),
  key: Type.String(),
  display: Type.String(),
  verdict: Verdict,
  lookalikes: Type.Array(Lookalike),
  alternatives: Type.Array(Type.Object({ kind: Kind, key: Type.String(), level: Level })),
  registry: Type.Optional(
    Type.Object(
      {
        status: Type.Enum(['registered', 'suspended', 'expired', 'lookalike', 'unregistered_hash', 'not_registered']),
        senderId: Type.Optional(Type.String({ description: 'The registered sender ID it is, or imitates.' })),
        organisation: Type.Optional(Type.String()),
        reasons: Type.Array(Type.Object({ code: Type.String(), en: Type.String(), 'zh-Hant': Type.String() })),
      },
      { description: 'For an SMS sender ID, what the SMS Sender Registry says of it: registered, suspended, expired, a look-alike of a registered ID, an unregistered # ID (a spoof), or not registered. Absent while no registry is loaded.' },
    ),
  ),
});
