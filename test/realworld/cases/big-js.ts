// big.js: exact decimal arithmetic.
import Big from "big.js";

export default async function run() {
  return { sum: new Big("0.1").plus("0.2").toString(), div: new Big(1).div(3).toFixed(10), float: String(0.1 + 0.2) };
}
