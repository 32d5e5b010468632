// Pulse Studio: the platform's web page for developers and admins.

import "@picocss/pico/css/pico.min.css";
import "./studio.css";
import { render } from "preact";
import { App } from "./App.tsx";

render(<App />, document.getElementById("app")!);
