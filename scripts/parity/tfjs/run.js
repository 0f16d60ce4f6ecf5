// Runs a TensorFlow.js graph model (the converter's model.json and weight shards in DIR) on the
// inputs in INPUTS.json ({name: {shape, values}}) and writes the output images to OUT.json:
//   node run.js DIR INPUTS.json OUT.json
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');
async function main() {
  const [dir, inputsFile, outFile] = process.argv.slice(2);
  const model = JSON.parse(fs.readFileSync(path.join(dir, 'model.json')));
  const weightSpecs = [];
  const buffers = [];
  for (const group of model.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
  }
  const data = Buffer.concat(buffers);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const graph = await tf.loadGraphModel(tf.io.fromMemory({modelTopology: model.modelTopology, weightSpecs, weightData,
    signature: model.signature}));
  const inputs = {};
  for (const [name, t] of Object.entries(JSON.parse(fs.readFileSync(inputsFile)))) {
    inputs[name] = tf.tensor(t.values, t.shape, 'float32');
  }
  const out = graph.execute(inputs);
  fs.writeFileSync(outFile, JSON.stringify({shape: out.shape, values: Array.from(await out.data())}));
  console.log('tfjs ' + tf.version.tfjs + ' backend ' + tf.getBackend() + ': images ' + JSON.stringify(out.shape));
}
main();
