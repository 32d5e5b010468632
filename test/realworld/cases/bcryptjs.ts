// bcryptjs: hash with a low cost (the docs' genSalt + hash), compare right and wrong passwords.
import bcrypt from "bcryptjs";

export default async function run() {
  const hash = await bcrypt.hash("s3cret", 4);
  return {
    prefix: hash.slice(0, 7),
    length: hash.length,
    right: await bcrypt.compare("s3cret", hash),
    wrong: await bcrypt.compare("guess", hash),
    rounds: bcrypt.getRounds(hash),
  };
}
