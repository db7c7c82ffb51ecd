import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { ApiProvider } from "./api";
import { App } from "./App";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ApiProvider>
      <App />
    </ApiProvider>
  </StrictMode>,
);
