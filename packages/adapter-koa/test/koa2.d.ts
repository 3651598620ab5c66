// The Koa 2 copy installed as `koa2` (npm alias) has the same API surface for our use.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
