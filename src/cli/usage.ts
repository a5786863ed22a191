import { INDICATOR_KINDS } from '../modules/indicators/index.js';

export const USAGE = `Usage: scamgraph <command> [options]

Commands:
  normalize [--kind KIND] [--region CC] [VALUE...]
      Normalizes the values given, or one per line on stdin when none are given. Prints one JSON object per
      line: {"input","kind","canonical","key","display","details"} (plus "alternatives" when the kind was
      detected), or {"input","error":{"code","message"}} for a value that is not valid.
      Without --kind the kind is detected. KIND: ${INDICATOR_KINDS.join(', ')}.
      --region: ISO 3166-1 code for numbers written without a country code (default $SCAMGRAPH_REGION or HK).

  extract [FILE|-] [--region CC]
      Finds every indicator in free text (an SMS, an e-mail, a report) read from FILE, or stdin when FILE is
      "-" or absent. Prints one JSON object per indicator: {"kind","raw","start","end","canonical","key"};
      start and end are UTF-16 offsets into the text, end exclusive.

  classify [FILE|-] [--region CC]
      Reads messages, one per line, from FILE or stdin, with the scam-message classifier (English and
      Chinese; the model is in the repository, trained by scripts/train-classifier.ts). Prints one JSON
      object per message: {"label":"scam"|"not_scam","score","signals":[{"text","weight"}]}; the signals are
      the words and features that drove the score most. Nothing is stored.

  serve [--port 8080] [--host 127.0.0.1] [--data DIR] [--rpz-port N [--rpz-host ADDRESS]]
      Serves the HTTP API (docs at /api/docs, OpenAPI at /api/openapi.json). Runs migrations, loads the
      lookup index and follows the change log. Uses PostgreSQL when DATABASE_URL is set, else the embedded
      database in DIR (default $SCAMGRAPH_DATA or ./.data), which it locks; while it runs, the commands below
      that take --data run inside it when they name the same DIR (through DIR/scamgraph.sock).
      --rpz-port also serves the DNS policy zone to resolvers by zone transfer (TCP and UDP; $SCAMGRAPH_RPZ_*
      set its feed, name, action, NOTIFY targets and TSIG keys; docs/feeds.md).

  senders import FILE --reason TEXT [--json] [--data DIR]
      Imports the SMS Sender Registry from a CSV (sender_id,organisation,status,registered_on,expires_on;
      status active|suspended; dates YYYY-MM-DD, expires_on empty when open-ended; # lines before the header
      are comments). All or nothing: with any bad row nothing is stored and each is printed with its line and
      code (exit 1). Prints added/updated/unchanged; the same file twice changes nothing. Registered senders in
      force become verified. Audited (actor cli) with the reason.

  senders list [--json] [--data DIR]
      The registry: sender ID, status, dates, organisation.

  senders suspend SENDER_ID --reason TEXT [--data DIR] | senders reinstate SENDER_ID --reason TEXT [--data DIR]
      Suspends a registered sender (it stops being verified) or reinstates it. Audited (actor cli).

  senders check SENDER_ID [--json] [--data DIR]
      What the registry says of a sender ID: registered, suspended, expired, a look-alike of a registered ID
      (which, and why), an unregistered # ID (spoofed) or not registered; in English and Chinese.

  retention run [--dry-run] [--json] [--data DIR]
      Applies the retention schedule now (servers do it once a day): contacts of closed reports, narratives,
      message texts and ended sessions go; old reporter fingerprints are re-keyed so that they can no longer
      be linked to anyone, counts unchanged. Reports under a legal hold stay whole. Prints the counts and
      audits them; --dry-run only counts. The schedule is SCAMGRAPH_RETAIN_* (docs/privacy.md).

  retention holds [--json] [--data DIR]
      The legal holds in force (placed and lifted by officers, with a reason and an end date).

  feeds rpz --out FILE [--feed NAME] [--data DIR]
      Writes the DNS policy zone (RPZ) as a zone file for resolvers that load one, whole or not at all.

  feeds misp --out DIR [--feed NAME] [--data DIR]
      Writes a block list as a MISP feed directory: manifest.json (last), an event per day of listing
      ({uuid}.json) and hashes.csv, each file renamed into place whole (default feed $SCAMGRAPH_MISP_FEED or
      all-high-risk). The same feed is served at /feeds/misp/[FEED/] to partner keys with feeds:read.

  check VALUE [--kind KIND] [--json] [--data DIR]
      The verdict the public gets for VALUE, with reasons and advice. Exit 1 when VALUE is not valid.

  import FILE [--as reports|feed:NAME] [--level suspicious|high_risk] [--column NAME] [--ttl-days N] [--source NAME] [--rejects PATH] [--data DIR]
      Reports as JSON Lines (or .csv with the same columns), or a trusted source's list (one value per line,
      or .csv/.tsv: kind,value, or a header row naming the value column, default "value", else --column)
      with --as feed:NAME --level. A feed's header may name the source's dates (first_seen…, last_seen…);
      a listing counts for --ttl-days after it is made or renewed by listing it again (the feed keeps it;
      default 30 days for links, domains and IPs, 180 for the rest). A .gz file is read through. Idempotent and resumable: run it again after
      an interruption. Bad records go to PATH (default DIR/rejects/FILE.rejects.jsonl) with line number and reason.

  import --misp-feed URL|DIR --as feed:NAME --level suspicious|high_risk [--header "Name: value"]... [--ttl-days N] [--rejects PATH] [--data DIR]
      A MISP feed (manifest.json, then each event) as entries of feed NAME: attributes of the types that
      name a phone, link, domain, e-mail, IP, IBAN or account, BTC wallet or X handle, at --level when
      to_ids is true and at suspicious when it is false; deleted attributes are passed over. --header is
      sent with each request (such as "Authorization: Bearer KEY"). Idempotent and resumable.

  import --taxii URL --collection ID --as feed:NAME --level suspicious|high_risk [--header "Name: value"]... [--ttl-days N] [--rejects PATH] [--data DIR]
      A peer centre's TAXII 2.1 collection (URL: its API root) as entries of feed NAME: the values its
      STIX indicators' patterns name; a revoked or expired indicator ends its values' listings. Pages are
      kept as they come and the pull resumes from the last page's date added: run it again (cron) to
      follow the peer. --header carries the credentials ("Authorization: Basic …" or "Bearer …").

  migrate [--data DIR]
      Brings the database schema up to date.

  user add NAME --role analyst|officer|admin [--password-stdin] [--data DIR]
      Adds an officer account; prints a generated password unless one is given on stdin.

  user reset NAME --reason TEXT [--data DIR]
      Resets a user's password to a one-time password, printed once: it only lets them choose a new one at
      sign-in. Their sessions end. Audited (actor cli).

  partner add NAME --type bank|wallet|telco|platform|app|peer_centre --scopes SCOPE,… --reason TEXT [--expires-days N] [--requests-per-minute N] [--daily-quota N] [--json] [--data DIR]
      Adds a partner organisation and prints its first API key, once (only its hash is stored). SCOPE:
      payee:check, outcomes:write, accounts:share, feeds:read, lists:read, webhooks:manage. Keys live 365 days
      unless --expires-days says otherwise (at most 730). Audited (actor cli) with the reason.

  partner key create ORG --scopes SCOPE,… --reason TEXT [--expires-days N] [--replaces KEY_ID [--overlap-hours 24]] [--data DIR]
      Makes another key for ORG, printed once. With --replaces the old key keeps working for the overlap
      (default 24 hours), then expires: rotate without downtime.

  partner key revoke ORG KEY_ID --reason TEXT [--data DIR]
      Revokes a key: every node refuses it within a second.

  partner list [--json] [--data DIR] | partner usage ORG [--days 30] [--json] [--data DIR]
      Organisations with their keys (prefix, scopes, expiry; never the key), and an organisation's calls per
      UTC day and route (counts only, never the values it checked).

  audit verify [--checkpoint FILE] [--key PUBLIC_KEY] [--json] [--data DIR]
      Checks the audit log's hash chain, and against the latest signed checkpoint (FILE's, else the
      checkpoint log's): exit 1 naming the first altered, removed or reordered row, rows removed from its
      end, a rewrite, or a checkpoint the key (PUBLIC_KEY, else this log's) did not sign. Then signs a new
      checkpoint. See docs/audit.md.

  audit key [--json] [--data DIR]
      The public key that signs the audit checkpoints, and its id, for partners who check them.

  keys rotate [--new-secret-file FILE | --new-secret-stdin] [--json] [--data DIR]
      Replaces the master secret: the data keys are re-wrapped under the new one (32 bytes in base64) in one
      audited transaction; nothing is re-encrypted. With the data directory's secret.key and no new secret
      given, one is generated and the file replaced; with SCAMGRAPH_SECRET_KEY, set it to the new secret on
      every server afterwards. See docs/keys.md.

  keys status [--json] [--data DIR]
      The data keys (purpose, version, when wrapped) and the id of the secret that wraps them.

  clusters list [--json] [--min-reports N] [--limit N] [--data DIR]
      The largest clusters of correlated reports (default: 2 reports or more, 50 clusters). With --json one
      object per line: {"id","reportCount","reporterCount","loss","firstSeen","lastSeen","topIndicators",...}.

  clusters show ID [--json] [--data DIR]
      One cluster: its summary, the keys that hold it together and related clusters (suggestions).

  clusters rebuild [--data DIR]
      Recomputes every cluster from the stored reports (the same result as the incremental path).

  demo [--data DIR]
      Loads demo data, clearly labelled: reports marked [DEMO], a demo feed and demo protected entities.

  help
      Prints this message.

Exit status: 0 on success (for normalize and extract: every input processed, invalid values get an error
object), 1 when refused or failed, 2 on a usage error.
`;
