export default async function echo(inputs) {
  return inputs;
}
