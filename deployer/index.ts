// The control-plane Worker.
import { app } from "./app.ts";

export default app;
