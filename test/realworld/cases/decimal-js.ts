// decimal.js: arbitrary precision, rounding modes.
import Decimal from "decimal.js";

export default async function run() {
  Decimal.set({ precision: 30 });
  return {
    sqrt2: new Decimal(2).sqrt().toString(),
    money: new Decimal("19.995").toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toString(),
    pow: new Decimal(2).pow(100).toFixed(),
  };
}
