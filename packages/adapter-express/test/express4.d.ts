// The Express 4 copy installed as `express4` (npm alias) has the same API surface for our use.
declare module 'express4' {
  import express from 'express';
  export default express;
}
