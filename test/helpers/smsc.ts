// The SMSC the SMS benchmark uses (the `smpp` package's server side on 127.0.0.1:0), shared with the tests.
export { startSmsc, type ReceivedSubmit, type Smsc, type SmscOptions } from '../../scripts/bench/smsc.js';
