import { describe, it } from "vitest";
import { calculateInvoiceTotal } from "@/lib/pricing";
import { testInvoice } from "./fixtures/stripe";

describe("calculateInvoiceTotal", () => {
  it("calculates totals with tax and discount", () => {
    const totals = calculateInvoiceTotal(testInvoice.items, 20, 10);
    console.log(totals);
  });
});
