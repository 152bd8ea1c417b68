import { styleText } from 'node:util';

export type Colour = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'gray';

/** Styles text when colour is on; plain text otherwise (not a TTY, NO_COLOR, --no-color). */
export type Paint = (style: Colour | Colour[], text: string) => string;

export const paintWith =
  (enabled: boolean): Paint =>
  (style, text) =>
    enabled ? styleText(style, text) : text;
