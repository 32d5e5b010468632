// slugify: URL slugs from titles with accents and symbols.
import slugify from "slugify";

export default async function run() {
  return {
    slug: slugify("Crème brûlée & Co: 100% Good!", { lower: true, strict: true }),
    plain: slugify("some string"),
  };
}
