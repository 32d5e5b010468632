// numeral: number formatting.
import numeral from "numeral";

export default async function run() {
  return {
    money: numeral(1234567.891).format("$0,0.00"),
    percent: numeral(0.974).format("0.0%"),
    bytes: numeral(3467479682).format("0.00b"),
    parsed: numeral("1.2k").value(),
  };
}
