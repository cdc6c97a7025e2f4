declare module "virtual:webgrad-mnist" {
  /** URL of the bundled MNIST subset (scripts/vite/mnist-asset.ts); hand it to `data.setAssetUrl("mnist", url)`. */
  const url: string;
  export default url;
}
