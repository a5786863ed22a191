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

  help
      Prints this message.

Exit status: 0 when every input was processed (invalid values get an error object), 2 on a usage error.
`;
