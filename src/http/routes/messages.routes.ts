import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { ANSWER_LANGUAGES } from '../../modules/messages/message-answer.js';
import { MESSAGE_CHANNELS } from '../../modules/messages/message-intake.js';
import type { MessageService } from '../../modules/messages/messages.service.js';
import { VERDICT_LEVELS } from '../../modules/verdicts/verdict.types.js';
import { partnerOf, requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { perMinute } from '../rate-limit.js';
import { refusals } from '../route-contract.js';
import { CheckResult } from '../schemas.js';

/** The longest message text taken through the API (an SMS is at most about 1,600 characters; a chat message more). */
export const MAX_MESSAGE_TEXT = 5_000;
/** The largest raw e-mail taken: attachments are read for their names and types only, but must arrive whole. */
export const MAX_EMAIL_BYTES = 2 * 1024 * 1024;

const Lang = Type.Enum(ANSWER_LANGUAGES, { description: 'The language of the summary and of the SMS reply (default en; the reply follows the text’s script).' });
const ClientToken = Type.String({ minLength: 16, maxLength: 128, description: 'A random id the forwarding app keeps, so its forwards count once.' });

export const MessageVerdictSchema = Type.Object({
  level: Type.Enum(VERDICT_LEVELS, { description: 'The worst level of the sender and the values. The wording alone never raises it.' }),
  highRisk: Type.Integer(),
  suspicious: Type.Integer(),
  reading: Type.Object({
    label: Type.Enum(['scam', 'not_scam']),
    score: Type.Number({ description: 'The classifier’s probability that the wording is a scam’s.' }),
    signals: Type.Array(Type.Object({ text: Type.String(), weight: Type.Number() }), { description: 'The words and signals that drove the score, strongest first.' }),
    scamType: Type.Union([Type.String(), Type.Null()]),
  }),
  summary: Type.String({ description: 'One paragraph for the forwarder, in the language asked.' }),
});

export const ForwardReceiptSchema = Type.Object({
  reference: Type.String(),
  statusToken: Type.String({ description: 'Private: with the reference it opens the status page. Shown once.' }),
  statusUrl: Type.String(),
  verdict: MessageVerdictSchema,
  sender: Type.Union([CheckResult, Type.Null()]),
  values: Type.Array(CheckResult, { description: 'Each link, number, account or address in the message, with its verdict.' }),
  awaitingSender: Type.Boolean(),
});

export const MessageReadingAnswer = Type.Object({ reading: MessageVerdictSchema.properties.reading, summary: Type.String() });

const EmailFacts = Type.Object({
  from: Type.Union([Type.Object({ address: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], { description: 'The real sender, behind its display name; null for an inline forward whose quoted header does not name it.' }),
  signals: Type.Array(Type.Enum(['display_name_hides_sender', 'link_text_mismatch', 'reply_to_differs'])),
  attachments: Type.Array(Type.Object({ filename: Type.Union([Type.String(), Type.Null()]), mimeType: Type.String(), bytes: Type.Integer() }), { description: 'Read for their names and types; never stored.' }),
  forwardedAsAttachment: Type.Boolean(),
  forwardedInline: Type.Boolean({ description: 'Forwarded inline: the sender is the one the quoted header names, never the forward’s own From (the forwarder).' }),
});

const GatewayJson = Type.Object(
  {
    from: Type.String({ minLength: 3, maxLength: 32, description: 'The forwarder’s number, as the network delivered it.' }),
    to: Type.Optional(Type.String({ maxLength: 32 })),
    text: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_TEXT }),
    sender: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The original sender, when the handset reported it with the message.' })),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);
// Twilio-style form posts carry many more fields (MessageSid, AccountSid, NumMedia…): they are allowed and ignored.
const GatewayForm = Type.Object(
  { From: Type.String({ minLength: 3, maxLength: 32 }), To: Type.Optional(Type.String({ maxLength: 32 })), Body: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_TEXT }) },
  { additionalProperties: Type.String({ maxLength: 2000 }) },
);

const xmlEscape = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}

/** Forwarded messages: the public API, raw e-mails, and the SMS gateway of a short code (7726). */
export function messageRoutes(messages: MessageService, gate: PartnerGate, rateLimit: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/messages',
      {
        config: perMinute(rateLimit),
        schema: {
          tags: ['public'],
          summary: 'Forward a scam message: its sender and links become a report; the answer gives the verdict of the message and of each value in it',
          body: Type.Object(
            {
              channel: Type.Enum(MESSAGE_CHANNELS),
              text: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_TEXT }),
              sender: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'A number, an SMS sender ID, an e-mail address or a chat handle.' })),
              arrivedAt: Type.Optional(Type.String({ format: 'date-time' })),
              lang: Type.Optional(Lang),
              clientToken: Type.Optional(ClientToken),
            },
            { additionalProperties: false },
          ),
          response: { 201: ForwardReceiptSchema, ...refusals(400) },
        },
      },
      async (request, reply) => {
        const { lang = 'en', clientToken, ...message } = request.body;
        const receipt = await messages.forward(message, messages.publicForwarder(clientToken, request.ip), lang);
        return reply.status(201).send({ ...receipt, statusUrl: `/status/${receipt.reference}#${receipt.statusToken}` });
      },
    );

    app.post(
      '/messages/read',
      {
        config: perMinute(rateLimit * 6),
        schema: {
          tags: ['public'],
          summary: 'Read a pasted message’s wording with the scam-message classifier (nothing is stored): label, score, the words that drove it, the scam type they suggest',
          description: 'What the check page shows above the verdicts of a pasted message’s values. A score alone never makes any value high risk.',
          body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 10_000 }), lang: Type.Optional(Lang) }, { additionalProperties: false }),
          response: { 200: MessageReadingAnswer },
        },
      },
      async (request) => messages.readText(request.body.text, request.body.lang ?? 'en'),
    );

    // Each route that takes a body other than JSON registers its parser in a scope of its own: every other
    // route still refuses anything but JSON (415).
    await app.register(async (scope) => {
      const email = scope.withTypeProvider<TypeBoxTypeProvider>();
      email.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: MAX_EMAIL_BYTES }, (_request, body, done) => done(null, body));
      email.post(
        '/messages/email',
        {
          config: perMinute(rateLimit),
          bodyLimit: MAX_EMAIL_BYTES,
          schema: {
            tags: ['public'],
            summary: 'Forward a scam e-mail as it was received (an .eml file, Content-Type message/rfc822)',
            description: 'Read with a MIME parser: the real sender behind its display name, the subject, the text (or the HTML’s text) and the links of its HTML. A forward that attached the scam (message/rfc822) is read for the attached message. Attachments are named in the answer, never stored.',
            querystring: Type.Object({ lang: Type.Optional(Lang), clientToken: Type.Optional(ClientToken) }, { additionalProperties: false }),
            consumes: ['message/rfc822'],
            response: { 201: Type.Object({ ...ForwardReceiptSchema.properties, email: EmailFacts }), ...refusals(400, 415) },
          },
        },
        async (request, reply) => {
          if (!Buffer.isBuffer(request.body)) throw new AppError('MALFORMED_EMAIL', 'Send the raw message with Content-Type: message/rfc822.');
          const receipt = await messages.forwardEmail(request.body, messages.publicForwarder(request.query.clientToken, request.ip), request.query.lang ?? 'en');
          return reply.status(201).send({ ...receipt, statusUrl: `/status/${receipt.reference}#${receipt.statusToken}` });
        },
      );
    });

    await app.register(async (scope) => {
      acceptForms(scope);
      const gateway = scope.withTypeProvider<TypeBoxTypeProvider>();
      gateway.post(
        '/partner/messages/sms',
        {
          onRequest: requirePartnerScope(gate, 'messages:forward', { basic: true }),
          schema: {
            tags: ['partner'],
            summary: 'An SMS gateway forwards a text sent to its short code (7726); the answer is the reply to text back',
            description:
              'JSON {from, to, text, sender?} or a form post with From, To and Body (Twilio’s shape; answered with TwiML). ' +
              'Without a sender the message is stored and the reply asks for it; the forwarder’s next text within an hour that is a number or a sender ID completes the report. ' +
              'The key may be sent as HTTP Basic (the password), as gateways put credentials in the webhook URL.',
            body: Type.Union([GatewayJson, GatewayForm]),
            response: {
              200: Type.Object({ reply: Type.String(), reference: Type.Union([Type.String(), Type.Null()]), awaitingSender: Type.Boolean(), verdict: Type.Union([MessageVerdictSchema, Type.Null()]) }),
              ...refusals(400, 401, 403, 429),
            },
          },
        },
        async (request, reply) => {
          const body = request.body;
          const form = 'Body' in body;
          const partner = partnerOf(request).organisation.id;
          const answer = form
            ? await messages.forwardSms({ from: body.From, to: body.To, text: body.Body }, partner, undefined)
            : await messages.forwardSms({ from: body.from, to: body.to, text: body.text, sender: body.sender }, partner, body.lang);
          if (!form) return answer;
          // A form post is Twilio's shape, which texts back the <Message> of a TwiML answer. A string with its
          // own content type is sent as it is; the JSON schema above documents the JSON form.
          const twiml = `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xmlEscape(answer.reply)}</Message></Response>`;
          return reply.type('application/xml; charset=utf-8').send(twiml as unknown as typeof answer);
        },
      );
    });
  };
}
